
2
xPlaceholder*
dtype0*
shape
:
$

Reciprocal
Reciprocalx*
T0
)
IdentityIdentity
Reciprocal*
T0"ª