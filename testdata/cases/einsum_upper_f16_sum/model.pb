
2
xPlaceholder*
dtype0*
shape
:
2
yPlaceholder*
dtype0*
shape
:
G
einsum/EinsumEinsumxy*
N*
T0*
equation
Ij,jK->K
,
IdentityIdentityeinsum/Einsum*
T0"ª