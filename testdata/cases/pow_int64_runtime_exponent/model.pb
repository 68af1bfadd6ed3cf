
2
xPlaceholder*
dtype0	*
shape
:
2
yPlaceholder*
dtype0	*
shape
:

PowPowxy*
T0	
"
IdentityIdentityPow*
T0	"ª