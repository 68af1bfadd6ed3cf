
.
xPlaceholder*
dtype0*
shape:
<
Tile/multiplesConst*
dtype0*
valueB:
:
TileTilexTile/multiples*

Tmultiples0*
T0
#
IdentityIdentityTile*
T0"ª