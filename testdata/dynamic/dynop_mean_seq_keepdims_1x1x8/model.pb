
H
xPlaceholder*
dtype0*)
shape :ÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ
D
Mean/reduction_indicesConst*
dtype0*
valueB:
M
MeanMeanxMean/reduction_indices*

Tidx0*
T0*
	keep_dims(

subSubxMean*
T0
"
IdentityIdentitysub*
T0"ª