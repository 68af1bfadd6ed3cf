
2
xPlaceholder*
dtype0*
shape
:
d
DataFormatVecPermuteDataFormatVecPermutex*
T0*

dst_formatNHWC*

src_formatNCHW
3
IdentityIdentityDataFormatVecPermute*
T0"ª