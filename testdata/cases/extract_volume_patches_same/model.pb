
>
xPlaceholder*
dtype0*
shape:
v
ExtractVolumePatchesExtractVolumePatchesx*
T0*
ksizes	
*
paddingSAME*
strides	

3
IdentityIdentityExtractVolumePatches*
T0"ª