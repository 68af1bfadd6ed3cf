
2
xPlaceholder*
dtype0*
shape
:
2
yPlaceholder*
dtype0*
shape
:

LessLessxy*
T0
#
IdentityIdentityLess*
T0
"ª