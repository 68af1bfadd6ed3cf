package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPassHTML checks the -html report: one column for the imported IR
// and one per pass that changed it, new lines marked, and nothing
// written to the IR output.
func TestPassHTML(t *testing.T) {
	out := filepath.Join(t.TempDir(), "passes.html")
	code, _, stderr := runTFC(t, nil, "compile", "-html", out, "-emit=network", filepath.Join(models, "resnet_small", "model.pb"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	cols := strings.Count(html, `<div class="col">`)
	if cols < 3 || !strings.Contains(html, `<h2 title="imported">`) || !strings.Contains(html, `<h2 title="fold (round 1)">`) {
		t.Errorf("%d columns, or no imported/fold column", cols)
	}
	if !strings.Contains(html, `class="line new"`) {
		t.Error("no line marked new")
	}
	// A folder is refused before any work.
	if code, _, stderr := runTFC(t, nil, "compile", "-html", t.TempDir(), filepath.Join(models, "resnet_small", "model.pb")); code == 0 || !strings.Contains(stderr, "is a directory") {
		t.Errorf("-html DIR: exit %d, %s", code, stderr)
	}
}

// TestPassHTMLInBrowser opens the report in headless Chromium and checks
// that its script ran over the columns (the DOM Chromium dumps carries the
// counts the script writes). It skips when Chromium is not installed.
func TestPassHTMLInBrowser(t *testing.T) {
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Skip("no Chromium installed")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "passes.html")
	if code, _, stderr := runTFC(t, nil, "compile", "-html", out, "-emit=network", filepath.Join(models, "resnet_small", "model.pb")); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(out)
	cols := strings.Count(string(b), `<div class="col">`)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--dump-dom", "file://"+out)
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", browser, err)
	}
	m := regexp.MustCompile(`<body data-columns="([0-9]+)" data-new-lines="([0-9]+)"`).FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the report's script did not run: no data-columns on <body>:\n%.2000s", dom)
	}
	if string(m[1]) != strconv.Itoa(cols) || string(m[2]) == "0" {
		t.Errorf("browser saw %s columns and %s new lines; the file has %d columns", m[1], m[2], cols)
	}
}
