
2
xPlaceholder*
dtype0*
shape
:
 
OnesLikeOnesLikex*
T0
"
addAddV2OnesLikex*
T0
"
IdentityIdentityadd*
T0"ª