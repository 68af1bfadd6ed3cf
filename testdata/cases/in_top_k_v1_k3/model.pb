
2
pPlaceholder*
dtype0*
shape
:
.
tPlaceholder*
dtype0*
shape:
(
InTopKInTopKpt*
T0*
k
%
IdentityIdentityInTopK*
T0
"ª