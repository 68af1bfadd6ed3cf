
2
xPlaceholder*
dtype0*
shape
:
"
	ZerosLike	ZerosLikex*
T0
(
IdentityIdentity	ZerosLike*
T0"ª