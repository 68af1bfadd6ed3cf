
6
xPlaceholder*
dtype0*
shape:
D
Reshape/shapeConst*
dtype0*
valueB:
ÿÿÿÿÿÿÿÿÿ
;
ReshapeReshapexReshape/shape*
Tshape0*
T0
&
IdentityIdentityReshape*
T0"ª