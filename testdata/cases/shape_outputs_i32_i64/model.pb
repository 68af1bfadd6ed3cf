
6
xPlaceholder*
dtype0*
shape:
8
ShapeShapex*
T0*
out_type0:íÏ
$
IdentityIdentityShape*
T0
:
Shape_1Shapex*
T0*
out_type0	:íÐ
(

Identity_1IdentityShape_1*
T0	"ª