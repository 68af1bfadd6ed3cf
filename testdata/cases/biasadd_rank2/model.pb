
2
xPlaceholder*
dtype0*
shape
:
U
BiasAdd/biasConst*
dtype0*1
value(B&"Š,¿<%À\HÓ?Î|q?«Iû>2?Ï½Å¾
C
BiasAddBiasAddxBiasAdd/bias*
T0*
data_formatNHWC
&
IdentityIdentityBiasAdd*
T0"ª