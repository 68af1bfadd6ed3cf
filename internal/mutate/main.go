// Command mutate is tfc's mutation tester: it plants small bugs one at a
// time in a temporary copy of the source tree, runs the tests, and reports
// which bugs the tests missed (the survivors).
//
// Usage (from the repository root; scripts/mutate.sh is the same):
//
//	go run ./internal/mutate [-list scripts/mutations.txtar] [-run REGEXP] [-keep]
//
// The list is a txtar archive. Its comment is free text. Each mutation is a
// file named NAME holding "key: value" lines, followed by the files
// NAME.search and NAME.replace:
//
//	-- pool-odd-pad-front --
//	file: frontend/tf/ops_pool.go
//	packages: ./...
//	what: SAME pooling puts the odd extra pad before instead of after
//	-- pool-odd-pad-front.search --
//	(text that occurs exactly once in file)
//	-- pool-odd-pad-front.replace --
//	(its replacement)
//
// packages (default ./...) are the go test arguments. A mutation whose
// search text does not occur exactly once in its file, or whose result
// does not compile, is an error: the tool reports every such mutation
// before running any test and exits with status 2, so a list that no
// longer matches the code fails loudly instead of reporting nothing.
// Mutations are caught when go test fails; the exit status is 1 when any
// survives.
//
// The copy is of the files git tracks or would track (git ls-files -co
// --exclude-standard), in a temporary directory removed at the end unless
// -keep is given; the working tree is never touched.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"golang.org/x/tools/txtar"
)

type mutation struct {
	name, file, what string
	packages         []string
	search, replace  []byte
}

func main() { os.Exit(run()) }

// run does the work; its deferred cleanup runs before main exits.
func run() int {
	list := flag.String("list", "scripts/mutations.txtar", "the mutation list (txtar)")
	run := flag.String("run", "", "only mutations whose name matches this regular expression")
	keep := flag.Bool("keep", false, "keep the temporary copy of the tree")
	flag.Parse()
	log := func(format string, args ...any) { fmt.Fprintf(os.Stderr, "mutate: "+format+"\n", args...) }
	ms, err := parse(*list)
	if err != nil {
		log("%v", err)
		return 2
	}
	if *run != "" {
		re, err := regexp.Compile(*run)
		if err != nil {
			log("-run: %v", err)
			return 2
		}
		var keep []*mutation
		for _, m := range ms {
			if re.MatchString(m.name) {
				keep = append(keep, m)
			}
		}
		ms = keep
	}
	if len(ms) == 0 {
		log("no mutations selected")
		return 2
	}
	// Every mutation must apply to the tree as it is now.
	bad := 0
	for _, m := range ms {
		src, err := os.ReadFile(m.file)
		if err != nil {
			log("%s: %v", m.name, err)
			bad++
			continue
		}
		if n := bytes.Count(src, m.search); n != 1 {
			log("%s: DOES NOT APPLY: the search text occurs %d times in %s (want exactly once)", m.name, n, m.file)
			bad++
		}
	}
	if bad > 0 {
		log("%d of %d mutations do not apply; update %s", bad, len(ms), *list)
		return 2
	}
	tmp, err := os.MkdirTemp("", "tfc-mutate-")
	if err != nil {
		log("%v", err)
		return 2
	}
	if !*keep {
		defer os.RemoveAll(tmp)
	} else {
		log("copy kept in %s", tmp)
	}
	if err := copyTree(tmp); err != nil {
		log("copying the tree: %v", err)
		return 2
	}
	fmt.Printf("%d mutations, tree copied to %s\n", len(ms), tmp)
	var survivors, broken []string
	for i, m := range ms {
		path := filepath.Join(tmp, m.file)
		orig, err := os.ReadFile(path)
		if err != nil {
			log("%v", err)
			return 2
		}
		if err := os.WriteFile(path, bytes.Replace(orig, m.search, m.replace, 1), 0o644); err != nil {
			log("%v", err)
			return 2
		}
		start := time.Now()
		cmd := exec.Command("go", append([]string{"test"}, m.packages...)...)
		cmd.Dir = tmp
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err = cmd.Run()
		if werr := os.WriteFile(path, orig, 0o644); werr != nil {
			log("restoring %s: %v", m.file, werr)
			return 2
		}
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			log("%s: go test: %v", m.name, err)
			return 2
		}
		status := "caught"
		switch {
		case err == nil:
			status = "SURVIVED"
			survivors = append(survivors, m.name)
		case strings.Contains(out.String(), "[build failed]") || strings.Contains(out.String(), "[setup failed]"):
			status = "BROKEN (does not compile)"
			broken = append(broken, m.name)
		}
		fmt.Printf("[%d/%d] %-28s %-9s %5.1fs  %s (%s)\n", i+1, len(ms), m.name, status, time.Since(start).Seconds(), m.what, m.file)
		if status == "caught" {
			for _, l := range failures(out.String(), 4) {
				fmt.Printf("        %s\n", l)
			}
		} else if len(broken) > 0 && broken[len(broken)-1] == m.name {
			io.Copy(os.Stdout, &out)
		}
	}
	fmt.Printf("%d mutations: %d caught, %d survived, %d broken\n", len(ms), len(ms)-len(survivors)-len(broken), len(survivors), len(broken))
	if len(broken) > 0 {
		fmt.Printf("broken: %s\n", strings.Join(broken, " "))
		return 2
	}
	if len(survivors) > 0 {
		fmt.Printf("survivors: %s\n", strings.Join(survivors, " "))
		return 1
	}
	return 0
}

// failures returns up to n "--- FAIL" lines of go test output.
func failures(out string, n int) []string {
	var ls []string
	for _, l := range strings.Split(out, "\n") {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "--- FAIL") && len(ls) < n {
			ls = append(ls, t)
		}
	}
	return ls
}

// parse reads the mutation list.
func parse(file string) ([]*mutation, error) {
	a, err := txtar.ParseFile(file)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	var order []string
	for _, f := range a.Files {
		if _, dup := files[f.Name]; dup {
			return nil, fmt.Errorf("%s: %s appears twice", file, f.Name)
		}
		files[f.Name] = f.Data
		if !strings.HasSuffix(f.Name, ".search") && !strings.HasSuffix(f.Name, ".replace") {
			order = append(order, f.Name)
		}
	}
	var ms []*mutation
	for _, name := range order {
		m := &mutation{name: name, packages: []string{"./..."}}
		for _, line := range strings.Split(string(files[name]), "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				return nil, fmt.Errorf("%s: %s: line %q is not key: value", file, name, line)
			}
			v = strings.TrimSpace(v)
			switch k {
			case "file":
				m.file = v
			case "what":
				m.what = v
			case "packages":
				m.packages = strings.Fields(v)
			default:
				return nil, fmt.Errorf("%s: %s: unknown key %q", file, name, k)
			}
		}
		var ok1, ok2 bool
		m.search, ok1 = files[name+".search"]
		m.replace, ok2 = files[name+".replace"]
		switch {
		case m.file == "":
			return nil, fmt.Errorf("%s: %s has no file", file, name)
		case !ok1 || !ok2:
			return nil, fmt.Errorf("%s: %s needs %s.search and %s.replace", file, name, name, name)
		case len(bytes.TrimSpace(m.search)) == 0:
			return nil, fmt.Errorf("%s: %s: empty search text", file, name)
		case bytes.Equal(m.search, m.replace):
			return nil, fmt.Errorf("%s: %s: the replacement equals the search text", file, name)
		}
		ms = append(ms, m)
	}
	for name := range files {
		base := strings.TrimSuffix(strings.TrimSuffix(name, ".search"), ".replace")
		if base != name && !contains(order, base) {
			return nil, fmt.Errorf("%s: %s has no mutation %s", file, name, base)
		}
	}
	return ms, nil
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// copyTree copies the files git tracks or would track into dst.
func copyTree(dst string) error {
	out, err := exec.Command("git", "ls-files", "-z", "-co", "--exclude-standard").Output()
	if err != nil {
		return fmt.Errorf("git ls-files: %v", err)
	}
	for _, name := range strings.Split(string(out), "\x00") {
		if name == "" {
			continue
		}
		fi, err := os.Lstat(name)
		if errors.Is(err, os.ErrNotExist) {
			continue // deleted in the working tree
		}
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		p := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, fi.Mode().Perm()); err != nil {
			return err
		}
	}
	return nil
}
