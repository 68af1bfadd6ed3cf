
:
xPlaceholder*
dtype0*
shape:
b
!p_re_lu_1/ReadVariableOp/resourceConst*
dtype0*)
value B"(๑|=๑*ๅ=อี>
"
p_re_lu_1/ReluRelux*
T0
x
p_re_lu_1/ReadVariableOpIdentity!p_re_lu_1/ReadVariableOp/resource*
T0*&
 _has_manual_control_dependencies(
7
p_re_lu_1/NegNegp_re_lu_1/ReadVariableOp*
T0
"
p_re_lu_1/Neg_1Negx*
T0
2
p_re_lu_1/Relu_1Relup_re_lu_1/Neg_1*
T0
>
p_re_lu_1/mulMulp_re_lu_1/Negp_re_lu_1/Relu_1*
T0
>
p_re_lu_1/addAddV2p_re_lu_1/Relup_re_lu_1/mul*
T0
O
NoOpNoOp^p_re_lu_1/ReadVariableOp*&
 _has_manual_control_dependencies(
3
IdentityIdentityp_re_lu_1/add^NoOp*
T0"ช