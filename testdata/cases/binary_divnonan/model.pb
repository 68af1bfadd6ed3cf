
2
xPlaceholder*
dtype0*
shape
:
2
yPlaceholder*
dtype0*
shape
:
%

div_no_nanDivNoNanxy*
T0
)
IdentityIdentity
div_no_nan*
T0"ª