
2
xPlaceholder*
dtype0*
shape
:
2
yPlaceholder*
dtype0*
shape
:
G
ApproximateEqualApproximateEqualxy*
T0*
	tolerance%¬Å'7
/
IdentityIdentityApproximateEqual*
T0
"ª