
:
xPlaceholder*
dtype0*
shape:
E
BiasAdd/biasConst*
dtype0*!
valueB"éö®?œ½¥?}ƒA¾
C
BiasAddBiasAddxBiasAdd/bias*
T0*
data_formatNHWC
&
IdentityIdentityBiasAdd*
T0"ª