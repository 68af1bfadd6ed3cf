
6
xPlaceholder*
dtype0*
shape:
2
yPlaceholder*
dtype0*
shape
:
-
MatrixSetDiagMatrixSetDiagxy*
T0
,
IdentityIdentityMatrixSetDiag*
T0"ª