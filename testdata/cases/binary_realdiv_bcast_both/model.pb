
2
xPlaceholder*
dtype0*
shape
:
2
yPlaceholder*
dtype0*
shape
:
!
truedivRealDivxy*
T0
&
IdentityIdentitytruediv*
T0"ª