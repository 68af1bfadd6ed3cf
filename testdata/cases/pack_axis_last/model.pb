
2
xPlaceholder*
dtype0*
shape
:
2
yPlaceholder*
dtype0*
shape
:
:
stackPackxy*
N*
T0*
axisÿÿÿÿÿÿÿÿÿ
$
IdentityIdentitystack*
T0"ª