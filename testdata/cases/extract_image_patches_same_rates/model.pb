
:
xPlaceholder*
dtype0*
shape:
…
ExtractImagePatchesExtractImagePatchesx*
T0*
ksizes
*
paddingSAME*
rates
*
strides

2
IdentityIdentityExtractImagePatches*
T0"ª