
6
cPlaceholder*
dtype0
*
shape:
2
xPlaceholder*
dtype0*
shape
:
.
yPlaceholder*
dtype0*
shape:
&
SelectV2SelectV2cxy*
T0
'
IdentityIdentitySelectV2*
T0"ª