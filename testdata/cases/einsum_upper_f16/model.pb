
2
xPlaceholder*
dtype0*
shape
:
2
yPlaceholder*
dtype0*
shape
:
H
einsum/EinsumEinsumxy*
N*
T0*
equation	Ij,jK->IK
,
IdentityIdentityeinsum/Einsum*
T0"ª