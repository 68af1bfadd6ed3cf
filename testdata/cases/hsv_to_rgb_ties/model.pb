
:
xPlaceholder*
dtype0*
shape:
 
HSVToRGBHSVToRGBx*
T0
'
IdentityIdentityHSVToRGB*
T0"ª