
6
xPlaceholder*
dtype0*
shape:
6
yPlaceholder*
dtype0*
shape:
?

set_diag/kConst*
dtype0*
valueB"ýÿÿÿÿÿÿÿ
N
set_diagMatrixSetDiagV3xy
set_diag/k*
T0*
alignRIGHT_RIGHT
'
IdentityIdentityset_diag*
T0"ª