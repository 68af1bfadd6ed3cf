
6
xPlaceholder*
dtype0*
shape:

SigmoidSigmoidx*
T0
&
IdentityIdentitySigmoid*
T0"ª