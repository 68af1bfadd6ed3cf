
.
xPlaceholder*
dtype0*
shape:
$

MatrixDiag
MatrixDiagx*
T0
)
IdentityIdentity
MatrixDiag*
T0"ª