
2
xPlaceholder*
dtype0	*
shape
:

WhereWherex*
T0	
$
IdentityIdentityWhere*
T0	"ª