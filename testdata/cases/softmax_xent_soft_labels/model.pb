
7
logitsPlaceholder*
dtype0*
shape
:
7
labelsPlaceholder*
dtype0*
shape
:
W
SoftmaxCrossEntropyWithLogitsSoftmaxCrossEntropyWithLogitslogitslabels*
T0
<
IdentityIdentitySoftmaxCrossEntropyWithLogits*
T0
@

Identity_1IdentitySoftmaxCrossEntropyWithLogits:1*
T0"ª