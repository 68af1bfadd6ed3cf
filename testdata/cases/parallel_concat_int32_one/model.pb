
2
xPlaceholder*
dtype0*
shape
:
J
ParallelConcatParallelConcatx*
N*
T0*
shape
:
-
IdentityIdentityParallelConcat*
T0"ª