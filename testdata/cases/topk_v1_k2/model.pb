
2
xPlaceholder*
dtype0*
shape
:
M
TopKV2TopKx*
Tk0*
T0*

index_type0*
k*
sorted(
%
IdentityIdentityTopKV2*
T0
)

Identity_1IdentityTopKV2:1*
T0"