
2
xPlaceholder*
dtype0*
shape
:

AcoshAcoshx*
T0
$
IdentityIdentityAcosh*
T0"ª