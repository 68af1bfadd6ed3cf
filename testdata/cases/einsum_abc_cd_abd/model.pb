
6
xPlaceholder*
dtype0*
shape:
2
yPlaceholder*
dtype0*
shape
:
J
einsum/EinsumEinsumxy*
N*
T0*
equationabc,cd->abd
,
IdentityIdentityeinsum/Einsum*
T0"ª