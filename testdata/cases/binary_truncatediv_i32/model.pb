
2
xPlaceholder*
dtype0*
shape
:
2
yPlaceholder*
dtype0*
shape
:
)
TruncateDivTruncateDivxy*
T0
*
IdentityIdentityTruncateDiv*
T0"ª