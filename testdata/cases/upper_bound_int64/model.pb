
2
sPlaceholder*
dtype0	*
shape
:
2
vPlaceholder*
dtype0	*
shape
:
7

UpperBound
UpperBoundsv*
T0	*
out_type0
)
IdentityIdentity
UpperBound*
T0"ª