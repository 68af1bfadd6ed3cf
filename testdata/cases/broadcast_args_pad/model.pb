
.
aPlaceholder*
dtype0*
shape:
.
bPlaceholder*
dtype0*
shape:
-
BroadcastArgsBroadcastArgsab*
T0
,
IdentityIdentityBroadcastArgs*
T0"ª