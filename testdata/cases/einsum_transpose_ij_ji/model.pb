
2
xPlaceholder*
dtype0*
shape
:
B
einsum/EinsumEinsumx*
N*
T0*
equationij->ji
,
IdentityIdentityeinsum/Einsum*
T0"ª