
:
xPlaceholder*
dtype0*
shape:
6
fPlaceholder*
dtype0*
shape:
b

Dilation2D
Dilation2Dxf*
T0*
paddingSAME*
rates
*
strides

)
IdentityIdentity
Dilation2D*
T0"ª