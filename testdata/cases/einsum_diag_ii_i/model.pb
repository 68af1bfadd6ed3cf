
2
xPlaceholder*
dtype0*
shape
:
A
einsum/EinsumEinsumx*
N*
T0*
equationii->i
,
IdentityIdentityeinsum/Einsum*
T0"ª