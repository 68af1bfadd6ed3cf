
6
xPlaceholder*
dtype0*
shape:
2
yPlaceholder*
dtype0*
shape
:
#
MulNoNanMulNoNanxy*
T0
'
IdentityIdentityMulNoNan*
T0"ª