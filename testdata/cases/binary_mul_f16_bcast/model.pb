
2
xPlaceholder*
dtype0*
shape
:
.
yPlaceholder*
dtype0*
shape:

MulMulxy*
T0
"
IdentityIdentityMul*
T0"ª