
6
xPlaceholder*
dtype0*
shape:@
6
yPlaceholder*
dtype0*
shape:@
L
einsum/EinsumEinsumxy*
N*
T0*
equationabc,cde->abde
,
IdentityIdentityeinsum/Einsum*
T0"ª