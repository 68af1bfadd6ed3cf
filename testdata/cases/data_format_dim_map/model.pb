
2
xPlaceholder*
dtype0*
shape
:
\
DataFormatDimMapDataFormatDimMapx*
T0*

dst_formatNCHW*

src_formatNHWC
/
IdentityIdentityDataFormatDimMap*
T0"ª