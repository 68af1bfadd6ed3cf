
2
xPlaceholder*
dtype0*
shape
:
N
ConstConst*
dtype0*1
value(B&"jCÆ¿–ÕÌ¿±r÷¾zŽ;À'6`¿Ùê¿y	Ú¿
P
Const_1Const*
dtype0*1
value(B&"!»¥?ÜXö?lCk?€`‹?;¦<?Ý•c?…PÍ?
}
!FakeQuantWithMinMaxVarsPerChannel!FakeQuantWithMinMaxVarsPerChannelxConstConst_1*
narrow_range(*
num_bits
@
IdentityIdentity!FakeQuantWithMinMaxVarsPerChannel*
T0"ª