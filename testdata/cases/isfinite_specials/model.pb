
2
xPlaceholder*
dtype0*
shape
:
 
IsFiniteIsFinitex*
T0
'
IdentityIdentityIsFinite*
T0
"ª