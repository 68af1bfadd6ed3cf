
2
xPlaceholder*
dtype0*
shape
:
2
yPlaceholder*
dtype0*
shape
:
)
xlog1py/Xlog1pyXlog1pyxy*
T0
.
IdentityIdentityxlog1py/Xlog1py*
T0"ª