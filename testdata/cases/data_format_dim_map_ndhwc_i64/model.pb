
.
xPlaceholder*
dtype0	*
shape:
^
DataFormatDimMapDataFormatDimMapx*
T0	*

dst_formatNCDHW*

src_formatNDHWC
/
IdentityIdentityDataFormatDimMap*
T0	"ª