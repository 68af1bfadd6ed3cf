
.
xPlaceholder*
dtype0*
shape:
b
CheckNumericsCheckNumericsx*
T0*&
 _has_manual_control_dependencies(*
messagem

mulMulxx*
T0
'
subSubCheckNumericsmul*
T0
D
NoOpNoOp^CheckNumerics*&
 _has_manual_control_dependencies(
)
IdentityIdentitysub^NoOp*
T0"ª