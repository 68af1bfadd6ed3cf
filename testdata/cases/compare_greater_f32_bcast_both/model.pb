
6
xPlaceholder*
dtype0*
shape:
2
yPlaceholder*
dtype0*
shape
:
!
GreaterGreaterxy*
T0
&
IdentityIdentityGreater*
T0
"ª