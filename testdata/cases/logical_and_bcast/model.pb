
2
xPlaceholder*
dtype0
*
shape
:
.
yPlaceholder*
dtype0
*
shape:


LogicalAnd
LogicalAndxy
)
IdentityIdentity
LogicalAnd*
T0
"ª