
2
xPlaceholder*
dtype0*
shape
:
(
StopGradientStopGradientx*
T0
$
mulMulStopGradientx*
T0
"
IdentityIdentitymul*
T0"ª