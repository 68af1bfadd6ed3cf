package main

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// jsonFields lists the JSON field names of a type, recursively.
func jsonFields(t reflect.Type, seen map[reflect.Type]bool, out map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		out[name] = true
		jsonFields(f.Type, seen, out)
	}
}

// TestJSONDocumented checks that docs/json.md names every field of the
// -format=json documents.
func TestJSONDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/json.md")
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]bool{}
	seen := map[reflect.Type]bool{}
	for _, v := range jsonDocuments {
		jsonFields(reflect.TypeOf(v), seen, fields)
	}
	for name := range fields {
		if !strings.Contains(string(doc), "`"+name+"`") {
			t.Errorf("docs/json.md does not document the field %q", name)
		}
	}
}

// jsonDocuments are the top-level -format=json types.
var jsonDocuments = []any{checkReport{}, verifyReport{}, runReport{}, inspectReport{}}

// TestJSONOutputs runs each command with -format=json and checks that it
// prints one valid document with the schema name.
func TestJSONOutputs(t *testing.T) {
	for _, args := range [][]string{
		{"check", "-format=json", models + "/resnet_small/model.pb"},
		{"check", "-format=json", "../../testdata/bad/unsupported3.pb"},
		{"verify", "-format=json", models},
		{"inspect", "-format=json", models + "/resnet_small/model.pb"},
		{"inspect", "-format=json", "-variables", "-checksums", "../../testdata/savedmodels/module_two_sigs/model"},
		{"inspect", "-format=json", "../../testdata/savedmodels/tf1_checkpoint/ckpt/model"},
		{"run", "-format=json", "-iterations=2", models + "/resnet_small/model.pb"},
	} {
		code, stdout, stderr := runTFC(t, nil, args...)
		var doc map[string]any
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
			t.Errorf("%v: exit %d, not JSON: %v\n%s%s", args, code, err, stdout, stderr)
			continue
		}
		if doc["schema"] != schemaVersion {
			t.Errorf("%v: schema %v", args, doc["schema"])
		}
		if ok, has := doc["ok"].(bool); has && ok != (code == 0) {
			t.Errorf("%v: ok %v but exit %d", args, ok, code)
		}
	}
}
