
2
xPlaceholder*
dtype0*
shape
:
2
yPlaceholder*
dtype0*
shape
:
2
zPlaceholder*
dtype0*
shape
:
2
wPlaceholder*
dtype0*
shape
:
7
stackPackxyzw*
N*
T0*

axis
$
IdentityIdentitystack*
T0"ª