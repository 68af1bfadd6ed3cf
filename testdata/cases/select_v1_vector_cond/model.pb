
.
cPlaceholder*
dtype0
*
shape:
2
xPlaceholder*
dtype0*
shape
:
2
yPlaceholder*
dtype0*
shape
:
"
SelectSelectcxy*
T0
%
IdentityIdentitySelect*
T0"ª