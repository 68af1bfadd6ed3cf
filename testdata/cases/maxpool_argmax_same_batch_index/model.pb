
:
xPlaceholder*
dtype0*
shape:
š
MaxPoolWithArgmaxMaxPoolWithArgmaxx*
Targmax0	*
T0*
include_batch_in_index(*
ksize
*
paddingSAME*
strides

0
IdentityIdentityMaxPoolWithArgmax*
T0
4

Identity_1IdentityMaxPoolWithArgmax:1*
T0	"ª