
2
xPlaceholder*
dtype0*
shape
:

EluElux*
T0
"
IdentityIdentityElu*
T0"ª