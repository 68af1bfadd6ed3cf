// Command tfc compiles TensorFlow graphs to TensorRT networks.
//
// Usage:
//
//	tfc <command> [flags] MODEL
//
// The commands are:
//
//	compile   translate a model and write the result (-emit=ir: tfc IR text)
//	run       run a model with the reference interpreter on .npy inputs
//	check     report whether every op of a model is supported
//	verify    run TensorFlow-generated test cases and compare with TF's outputs
//	freeze    freeze a SavedModel or TF1 checkpoint into a GraphDef
//	inspect   describe any model: inputs, outputs, op histogram, weight bytes
//	ops       list the supported TensorFlow ops and what each becomes
//	calibrate compute INT8 ranges from sample inputs (for -calibration)
//	passes    list the IR passes in pipeline order
//	version   print tfc's version and what it was built with
//
// MODEL is a frozen GraphDef (.pb binary or .pbtxt text, recognised by
// content), or tfc IR text (.tfir), or - for standard input, or a
// SavedModel directory or TF1 checkpoint (PREFIX.meta), frozen in memory.
// Run "tfc <command> -h" for a command's flags.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"unicode/utf8"

	"github.com/tfc-dev/tfc/tensor"
)

type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

var commands []command

func init() {
	commands = []command{
		{"compile", "translate a model; -emit=ir writes tfc IR text", runCompile},
		{"run", "run a model with the reference interpreter, reading and writing .npy", runRun},
		{"check", "list op counts and every unsupported op; exit 0 only if all are supported", runCheck},
		{"verify", "run TensorFlow-generated cases (dirs with case.json) and compare with TF", runVerify},
		{"freeze", "freeze a SavedModel or TF1 checkpoint into a GraphDef (.pb or .pbtxt)", runFreeze},
		{"inspect", "describe any model: inputs, outputs, op histogram, weight bytes, signatures", runInspect},
		{"ops", "list the supported TensorFlow ops and what each becomes (-markdown)", runOps},
		{"calibrate", "INT8 ranges of the conv and matmul inputs from sample .npy inputs (-method)", runCalibrate},
		{"passes", "list the IR passes in pipeline order", runPasses},
		{"version", "print tfc's version, VCS revision, Go and TensorRT versions", runVersion},
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `tfc compiles TensorFlow graphs to TensorRT networks.

Usage:
  tfc <command> [flags] MODEL

Commands:
`)
	width := 0
	for _, c := range commands {
		width = max(width, len(c.name))
	}
	for _, c := range commands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprint(w, `
MODEL is a frozen TensorFlow GraphDef (.pb or .pbtxt, recognised by content),
tfc IR text (.tfir), - for standard input, or a SavedModel directory or TF1
checkpoint (PREFIX, PREFIX.meta), frozen in memory (-signature, -tags).

Examples:
  tfc compile -emit=ir testdata/models/mobilenetv2/model.pb
  tfc run -input x:0=in.npy -o out/ model.pb
  tfc check model.pb
  tfc freeze -o frozen.pb saved_model_dir/
  tfc inspect saved_model_dir/

Run "tfc <command> -h" for the flags of a command.
`)
}

// exitError carries a specific exit code.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func main() {
	// Compiling makes new copies of a model's weights (transposed, batch
	// norm folded in) while the previous copy becomes garbage; collecting
	// at 30% heap growth instead of 100% cuts peak memory on ResNet50 from
	// 410 MB to about 235 MB at no measurable cost in time. GOGC still
	// overrides it.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(30)
	}
	strictFP32Env(os.Args[1:])
	os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr))
}

func realMain(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	name := args[0]
	if name == "help" && len(args) > 1 {
		// tfc help compile is tfc compile -h.
		name, args = args[1], []string{args[1], "-h"}
		if findCommand(name) == nil {
			fmt.Fprintf(stderr, "tfc help: unknown command %q; run \"tfc help\" for the list\n", name)
			return 2
		}
	}
	if name == "-h" || name == "-help" || name == "--help" || name == "help" {
		usage(stdout)
		return 0
	}
	c := findCommand(name)
	if c == nil {
		fmt.Fprintf(stderr, "tfc: unknown command %q; run \"tfc -h\" for the list\n", name)
		return 2
	}
	tensor.SetMaxBytes(0) // -max-memory sets it; each run starts from the default
	out := &stickyWriter{w: stdout}
	err := runSafely(*c, args[1:], out, stderr)
	if err == nil && out.err != nil {
		// Output that did not reach its destination (a full disk, a
		// closed pipe, /dev/full) is a failure, whatever the command
		// thought.
		err = fmt.Errorf("writing standard output: %v", out.err)
	}
	if err == nil {
		return 0
	}
	var he *helpError
	if errors.As(err, &he) {
		he.fs.SetOutput(stdout)
		he.fs.Usage()
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintf(stderr, "tfc %s: %s\n", name, oneLine(ee.msg))
		}
		if ee.code == 2 {
			fmt.Fprintf(stderr, "run \"tfc help %s\" for usage\n", name)
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "tfc %s: %s\n", name, oneLine(err.Error()))
	return 1
}

// stickyWriter remembers the first error of its writer, so that a
// command whose output was lost exits non-zero even when it did not
// check every write.
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	if err != nil {
		s.err = err
	}
	return n, err
}

func findCommand(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// oneLine keeps multi-line errors readable on one terminal line each
// when they are long lists: it leaves them as they are, but trims
// trailing newlines.
func oneLine(s string) string { return clip(strings.TrimRight(s, "\n"), maxMessage) }

// maxMessage bounds an error message: a hostile model can make one
// megabytes long (a 10 MB token, a 2 MB node name, a 200k-node cycle).
const maxMessage = 4096

// clip shortens s to about max bytes by eliding its middle, keeping the
// start (what failed, which node) and the end (why).
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	head, tail := max/2, len(s)-max/2
	for head > 0 && !utf8.RuneStart(s[head]) {
		head--
	}
	for tail < len(s) && !utf8.RuneStart(s[tail]) {
		tail++
	}
	return fmt.Sprintf("%s …(%d bytes elided)… %s", s[:head], tail-head, s[tail:])
}

// newFlagSet returns a flag set that prints a useful -h. Parse errors
// and -h print nothing while parsing: parseFlags turns them into one
// error line (with a hint) and realMain prints the help to stdout.
func newFlagSet(name, synopsis, about string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s\n\n%s\n", strings.TrimSpace("tfc "+name+" "+synopsis), about)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprint(fs.Output(), "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// helpError asks realMain to print a command's help on standard output.
type helpError struct{ fs *flag.FlagSet }

func (e *helpError) Error() string        { return "help requested" }
func (e *helpError) Is(target error) bool { return target == flag.ErrHelp }

// parseFlags parses flags, allowing them after positional arguments
// (tfc run model.pb -o out), and returns the positional arguments. A bad
// flag is an exit-2 error of one line; -h is a *helpError.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	out := fs.Output()
	fs.SetOutput(io.Discard)
	defer fs.SetOutput(out)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &helpError{fs}
			}
			return nil, &exitError{code: 2, msg: err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// runSafely runs a command, turning a panic (a bug in tfc: user input
// must give errors) into one clear error line instead of a stack trace.
func runSafely(c command, args []string, stdout, stderr io.Writer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error (a bug in tfc; please report it with the model): %v", r)
		}
	}()
	return c.run(args, stdout, stderr)
}
