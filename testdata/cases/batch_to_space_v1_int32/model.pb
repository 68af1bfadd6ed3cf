
:
xPlaceholder*
dtype0*
shape:
A
BatchToSpace/cropsConst*
dtype0*
valueB
Z
BatchToSpaceBatchToSpacexBatchToSpace/crops*

Tidx0*
T0*

block_size
+
IdentityIdentityBatchToSpace*
T0"ª