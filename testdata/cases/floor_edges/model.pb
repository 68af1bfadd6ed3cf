
2
xPlaceholder*
dtype0*
shape
:

FloorFloorx*
T0
$
IdentityIdentityFloor*
T0"ª