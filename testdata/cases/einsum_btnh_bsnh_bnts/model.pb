
:
xPlaceholder*
dtype0*
shape:
:
yPlaceholder*
dtype0*
shape:
N
einsum/EinsumEinsumxy*
N*
T0*
equationbtnh,bsnh->bnts
,
IdentityIdentityeinsum/Einsum*
T0"ª