
6
xPlaceholder*
dtype0*
shape:
C
einsum/EinsumEinsumx*
N*
T0*
equation	iji->ji
,
IdentityIdentityeinsum/Einsum*
T0"ª