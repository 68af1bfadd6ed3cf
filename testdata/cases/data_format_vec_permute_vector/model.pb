
.
xPlaceholder*
dtype0*
shape:
d
DataFormatVecPermuteDataFormatVecPermutex*
T0*

dst_formatNCHW*

src_formatNHWC
3
IdentityIdentityDataFormatVecPermute*
T0"ª