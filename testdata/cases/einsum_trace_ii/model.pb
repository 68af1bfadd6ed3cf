
2
xPlaceholder*
dtype0*
shape
:
@
einsum/EinsumEinsumx*
N*
T0*
equationii->
,
IdentityIdentityeinsum/Einsum*
T0"ª