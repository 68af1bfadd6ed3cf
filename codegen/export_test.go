package codegen

// EnumNames exposes enumNames to the external tests.
var EnumNames = enumNames
