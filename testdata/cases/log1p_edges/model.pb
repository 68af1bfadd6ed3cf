
2
xPlaceholder*
dtype0*
shape
:

Log1pLog1px*
T0
$
IdentityIdentityLog1p*
T0"ª