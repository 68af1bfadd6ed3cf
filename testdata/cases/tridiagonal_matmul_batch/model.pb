
8
supPlaceholder*
dtype0*
shape:
9
mainPlaceholder*
dtype0*
shape:
8
subPlaceholder*
dtype0*
shape:
6
xPlaceholder*
dtype0*
shape:
B
TridiagonalMatMulTridiagonalMatMulsupmainsubx*
T0
0
IdentityIdentityTridiagonalMatMul*
T0"ª