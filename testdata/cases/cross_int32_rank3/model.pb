
6
aPlaceholder*
dtype0*
shape:
6
bPlaceholder*
dtype0*
shape:

CrossCrossab*
T0
$
IdentityIdentityCross*
T0"ª