
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

AddAddV2xy*
T0
"
IdentityIdentityAdd*
T0"ª