
6
xPlaceholder*
dtype0*
shape:

SigmoidSigmoidx*
T0

mulMulxSigmoid*
T0
"
IdentityIdentitymul*
T0"ª