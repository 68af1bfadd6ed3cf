
6
xPlaceholder*
dtype0*
shape:

ErfcErfcx*
T0
#
IdentityIdentityErfc*
T0"ª