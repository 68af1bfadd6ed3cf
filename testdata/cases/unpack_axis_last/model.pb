
6
xPlaceholder*
dtype0*
shape:
=
unstackUnpackx*
T0*
axisÿÿÿÿÿÿÿÿÿ*	
num
&
IdentityIdentityunstack*
T0
*

Identity_1Identity	unstack:1*
T0
*

Identity_2Identity	unstack:2*
T0
*

Identity_3Identity	unstack:3*
T0"ª