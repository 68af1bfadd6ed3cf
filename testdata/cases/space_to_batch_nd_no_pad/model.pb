
:
xPlaceholder*
dtype0*
shape:
H
SpaceToBatchND/block_shapeConst*
dtype0*
valueB:
F
SpaceToBatchND/paddingsConst*
dtype0*
valueB
†
SpaceToBatchNDSpaceToBatchNDxSpaceToBatchND/block_shapeSpaceToBatchND/paddings*
Tblock_shape0*
	Tpaddings0*
T0
-
IdentityIdentitySpaceToBatchND*
T0"ª