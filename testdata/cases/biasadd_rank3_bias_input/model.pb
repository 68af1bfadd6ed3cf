
6
xPlaceholder*
dtype0*
shape:
.
yPlaceholder*
dtype0*
shape:
8
BiasAddBiasAddxy*
T0*
data_formatNHWC
&
IdentityIdentityBiasAdd*
T0"ª