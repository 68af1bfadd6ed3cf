
.
xPlaceholder*
dtype0*
shape:
.
yPlaceholder*
dtype0*
shape:

AddAddV2xy*
T0
"
IdentityIdentityAdd*
T0"ª