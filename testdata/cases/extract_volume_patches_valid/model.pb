
>
xPlaceholder*
dtype0*
shape:
w
ExtractVolumePatchesExtractVolumePatchesx*
T0*
ksizes	
*
paddingVALID*
strides	

3
IdentityIdentityExtractVolumePatches*
T0"ª