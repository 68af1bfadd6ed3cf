
4
supPlaceholder*
dtype0*
shape
:
5
mainPlaceholder*
dtype0*
shape
:
4
subPlaceholder*
dtype0*
shape
:
2
xPlaceholder*
dtype0*
shape
:
B
TridiagonalMatMulTridiagonalMatMulsupmainsubx*
T0
0
IdentityIdentityTridiagonalMatMul*
T0"ª