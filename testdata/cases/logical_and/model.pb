
2
xPlaceholder*
dtype0
*
shape
:
2
yPlaceholder*
dtype0
*
shape
:


LogicalAnd
LogicalAndxy
)
IdentityIdentity
LogicalAnd*
T0
"ª