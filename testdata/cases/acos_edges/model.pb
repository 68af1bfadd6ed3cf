
2
xPlaceholder*
dtype0*
shape
:

AcosAcosx*
T0
#
IdentityIdentityAcos*
T0"ª