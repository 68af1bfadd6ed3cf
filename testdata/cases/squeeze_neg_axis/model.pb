
6
xPlaceholder*
dtype0*
shape:
>
SqueezeSqueezex*
T0*
squeeze_dims

ÿÿÿÿÿÿÿÿÿ
&
IdentityIdentitySqueeze*
T0"ª