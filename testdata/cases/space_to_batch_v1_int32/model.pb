
:
xPlaceholder*
dtype0*
shape:
D
SpaceToBatch/paddingsConst*
dtype0*
valueB
b
SpaceToBatchSpaceToBatchxSpaceToBatch/paddings*
	Tpaddings0*
T0*

block_size
+
IdentityIdentitySpaceToBatch*
T0"ª