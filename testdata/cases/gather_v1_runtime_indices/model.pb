
.
xPlaceholder*
dtype0*
shape:
.
iPlaceholder*
dtype0*
shape:
M
GatherGatherxi*
Tindices0*
Tparams0*
validate_indices(
%
IdentityIdentityGather*
T0"ª