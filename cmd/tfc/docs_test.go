package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/flags.md from the commands' -h")

const flagsDoc = "../../docs/flags.md"

// flagReference is docs/flags.md: every command's -h, as the code prints it.
func flagReference(t *testing.T) []byte {
	var b bytes.Buffer
	b.WriteString("# tfc commands and flags\n\n" +
		"Generated from the code by `go test ./cmd/tfc -run TestFlagsDoc -update`; a test checks it\n" +
		"is current. `tfc help COMMAND` prints the same.\n")
	for _, c := range commands {
		code, stdout, stderr := runTFC(t, nil, c.name, "-h")
		if code != 0 || stderr != "" {
			t.Fatalf("%s -h: exit %d, stderr %q", c.name, code, stderr)
		}
		fmt.Fprintf(&b, "\n## tfc %s\n\n```text\n%s```\n", c.name, stdout)
	}
	return b.Bytes()
}

// TestFlagsDoc checks that docs/flags.md is what the commands print.
func TestFlagsDoc(t *testing.T) {
	want := flagReference(t)
	if *update {
		if err := os.WriteFile(flagsDoc, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(flagsDoc)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("docs/flags.md is not current (%v); run go test ./cmd/tfc -run TestFlagsDoc -update", err)
	}
}

// TestREADMEFlags checks that the README mentions every flag of every
// command (as -name), so no flag exists only in -h.
func TestREADMEFlags(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	flagLine := regexp.MustCompile(`(?m)^  -([a-z0-9][a-z0-9-]*)`)
	missing := map[string][]string{}
	for _, c := range commands {
		_, stdout, _ := runTFC(t, nil, c.name, "-h")
		for _, m := range flagLine.FindAllStringSubmatch(stdout, -1) {
			name := m[1]
			if !regexp.MustCompile(`(^|[^a-z0-9-])-` + regexp.QuoteMeta(name) + `([^a-z0-9-]|$)`).Match(readme) {
				missing[name] = append(missing[name], c.name)
			}
		}
	}
	var names []string
	for n := range missing {
		names = append(names, fmt.Sprintf("-%s (%s)", n, strings.Join(missing[n], ", ")))
	}
	sort.Strings(names)
	if len(names) > 0 {
		t.Errorf("README.md does not mention these flags:\n%s", strings.Join(names, "\n"))
	}
}

// TestREADMEExamples runs every `go run ./cmd/tfc ...` line of the
// README's sh blocks, in a scratch folder where testdata is the
// repository's, and checks each exits 0. Lines naming testdata/large
// (generated, not committed) are skipped when it is absent.
func TestREADMEExamples(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	testdata, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(testdata, filepath.Join(dir, "testdata")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	n := 0
	inSh := false
	for _, line := range strings.Split(string(readme), "\n") {
		switch {
		case strings.HasPrefix(line, "```sh"):
			inSh = true
			continue
		case strings.HasPrefix(line, "```"):
			inSh = false
			continue
		}
		cmd, ok := strings.CutPrefix(line, "go run ./cmd/tfc ")
		if !inSh || !ok {
			continue
		}
		if i := strings.Index(cmd, "#"); i >= 0 {
			cmd = cmd[:i]
		}
		if strings.ContainsAny(cmd, "|<>;&$`'\"") {
			t.Errorf("README example %q: use plain arguments (the test runs them without a shell)", line)
			continue
		}
		args := strings.Fields(cmd)
		if strings.Contains(cmd, "testdata/large") {
			if _, err := os.Stat(filepath.Join(testdata, "large")); err != nil {
				t.Logf("skip %q: no testdata/large", line)
				continue
			}
		}
		n++
		if code, _, stderr := runTFC(t, nil, args...); code != 0 {
			t.Errorf("README example %q: exit %d: %s", line, code, stderr)
		}
	}
	if n < 5 {
		t.Errorf("ran %d README examples, want at least 5", n)
	}
}

// TestExamplePictures checks that the committed MobileNetV2 drawings in
// docs/examples are what tfc draws now (-update rewrites them; the SVGs
// beside them are rendered with Graphviz: dot -Tsvg).
func TestExamplePictures(t *testing.T) {
	model := filepath.Join(models, "mobilenetv2", "model.pb")
	for file, args := range map[string][]string{
		"ir.dot":      {"compile", "-emit=dot", model},
		"network.dot": {"compile", "-emit=network", "-format=dot", model},
	} {
		code, stdout, stderr := runTFC(t, nil, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		path := filepath.Join("../../docs/examples/mobilenetv2", file)
		if *update {
			if err := os.WriteFile(path, []byte(stdout), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if got, err := os.ReadFile(path); err != nil || string(got) != stdout {
			t.Errorf("%s is not current (%v); run go test ./cmd/tfc -run TestExamplePictures -update and dot -Tsvg", path, err)
		}
	}
}
