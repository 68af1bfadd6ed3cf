
7
logitsPlaceholder*
dtype0*
shape
:
3
labelsPlaceholder*
dtype0	*
shape:
r
#SparseSoftmaxCrossEntropyWithLogits#SparseSoftmaxCrossEntropyWithLogitslogitslabels*
Tlabels0	*
T0
B
IdentityIdentity#SparseSoftmaxCrossEntropyWithLogits*
T0
F

Identity_1Identity%SparseSoftmaxCrossEntropyWithLogits:1*
T0"ª