
2
xPlaceholder*
dtype0	*
shape
:
2
yPlaceholder*
dtype0	*
shape
:
!
MinimumMinimumxy*
T0	
&
IdentityIdentityMinimum*
T0	"ª