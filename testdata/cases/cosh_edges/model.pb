
2
xPlaceholder*
dtype0*
shape
:

CoshCoshx*
T0
#
IdentityIdentityCosh*
T0"ª