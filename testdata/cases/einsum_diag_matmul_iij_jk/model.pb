
6
xPlaceholder*
dtype0*
shape:
2
yPlaceholder*
dtype0*
shape
:
I
einsum/EinsumEinsumxy*
N*
T0*
equation
iij,jk->ik
,
IdentityIdentityeinsum/Einsum*
T0"ª