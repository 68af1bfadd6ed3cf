
2
xPlaceholder*
dtype0*
shape
:
 
SoftsignSoftsignx*
T0
'
IdentityIdentitySoftsign*
T0"ª