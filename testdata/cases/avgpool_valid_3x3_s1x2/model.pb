
:
xPlaceholder*
dtype0*
shape:	
s
	AvgPool2DAvgPoolx*
T0*
data_formatNHWC*
ksize
*
paddingVALID*
strides

(
IdentityIdentity	AvgPool2D*
T0"ª