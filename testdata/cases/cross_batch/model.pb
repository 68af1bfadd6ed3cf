
2
aPlaceholder*
dtype0*
shape
:
2
bPlaceholder*
dtype0*
shape
:

CrossCrossab*
T0
$
IdentityIdentityCross*
T0"ª