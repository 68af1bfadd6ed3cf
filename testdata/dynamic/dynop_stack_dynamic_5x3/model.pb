
;
xPlaceholder*
dtype0*
shape:ÿÿÿÿÿÿÿÿÿ

NegNegx*
T0
3
stackPackxNeg*
N*
T0*

axis
$
IdentityIdentitystack*
T0"ª