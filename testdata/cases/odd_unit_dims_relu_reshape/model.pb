
:
xPlaceholder*
dtype0*
shape:
;
Reshape/shapeConst*
dtype0*
valueB:

ReluRelux*
T0
>
ReshapeReshapeReluReshape/shape*
Tshape0*
T0
&
IdentityIdentityReshape*
T0"ª