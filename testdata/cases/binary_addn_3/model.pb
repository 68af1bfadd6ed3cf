
2
xPlaceholder*
dtype0*
shape
:
2
yPlaceholder*
dtype0*
shape
:
2
zPlaceholder*
dtype0*
shape
:
'
AddNAddNxyz*
N*
T0
#
IdentityIdentityAddN*
T0"ª