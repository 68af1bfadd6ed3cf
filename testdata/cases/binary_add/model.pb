
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

AddAddxy*
T0
"
IdentityIdentityAdd*
T0"ª