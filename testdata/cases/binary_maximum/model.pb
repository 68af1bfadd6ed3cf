
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
!
MaximumMaximumxy*
T0
&
IdentityIdentityMaximum*
T0"ª