package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/tfc-dev/tfc/backend/tensorrt"
)

// buildVersion is what the binary knows of its own build.
type buildVersion struct {
	Module   string // module path, github.com/tfc-dev/tfc
	Version  string // module version (v1.2.3, a pseudo-version), or "devel"
	Revision string // VCS revision, when the build recorded it
	Time     string // VCS commit time
	Modified bool   // the work tree had changes
	Go       string // Go toolchain
}

// readVersion reads the build information Go embeds in every binary: the
// module version for go install …@version, the VCS revision for a build
// in a clone (unless -buildvcs=false).
func readVersion() buildVersion {
	v := buildVersion{Module: "github.com/tfc-dev/tfc", Version: "devel", Go: runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if bi.Main.Path != "" {
		v.Module = bi.Main.Path
	}
	if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// version is the short form written into generated code: the module
// version, or "devel" with the revision when there is one.
func version() string {
	v := readVersion()
	s := v.Version
	if v.Version == "devel" && v.Revision != "" {
		s += " " + shortRev(v.Revision)
		if v.Modified {
			s += "+modified"
		}
	}
	return s
}

func shortRev(r string) string {
	if len(r) > 12 {
		return r[:12]
	}
	return r
}

func runVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "",
		"Version prints tfc's module version, the VCS revision it was built from (when\n"+
			"the build recorded one), the Go toolchain, and the TensorRT library it was\n"+
			"built with (-tags tensorrt_rtx or tensorrt), if any.", stderr)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return &exitError{code: 2, msg: "version takes no arguments"}
	}
	v := readVersion()
	fmt.Fprintf(stdout, "tfc %s\n", v.Version)
	fmt.Fprintf(stdout, "module   %s\n", v.Module)
	if v.Revision != "" {
		mod := ""
		if v.Modified {
			mod = " (with uncommitted changes)"
		}
		fmt.Fprintf(stdout, "revision %s%s\n", v.Revision, mod)
		if v.Time != "" {
			fmt.Fprintf(stdout, "commit   %s\n", v.Time)
		}
	}
	fmt.Fprintf(stdout, "go       %s %s/%s\n", v.Go, runtime.GOOS, runtime.GOARCH)
	if tv := tensorrt.Version(); tv != "" {
		fmt.Fprintf(stdout, "tensorrt %s\n", tv)
	} else {
		fmt.Fprintln(stdout, "tensorrt none (build with -tags tensorrt_rtx for engines)")
	}
	return nil
}
