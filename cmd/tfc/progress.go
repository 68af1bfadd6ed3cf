package main

import (
	"flag"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Progress on long work (multi-case verify, engine builds, freezing): a
// bar or spinner on standard error, drawn only when both standard output
// and standard error are terminals, so pipes, files and CI logs get no
// control characters; -q turns it off. github.com/schollz/progressbar
// draws it.

// addQuietFlag adds -q.
func addQuietFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("q", false, "no progress bar (it is drawn only when stdout and stderr are terminals)")
}

// stdoutIsTerminal is os.Stdout's, read once; tests replace it.
var stdoutIsTerminal = func() bool { return term.IsTerminal(int(os.Stdout.Fd())) }

// showProgress says whether to draw progress on w.
func showProgress(w io.Writer, quiet bool) bool {
	f, ok := w.(*os.File)
	return !quiet && ok && term.IsTerminal(int(f.Fd())) && stdoutIsTerminal()
}

// progress is a bar of n steps, or nothing.
type progress struct{ bar *progressbar.ProgressBar }

func newProgress(w io.Writer, quiet bool, n int, what string) *progress {
	if !showProgress(w, quiet) || n < 2 {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions(n,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
	)}
}

// clear removes the bar before other output; the next step redraws it.
func (p *progress) clear() {
	if p.bar != nil {
		p.bar.Clear()
	}
}

func (p *progress) step() {
	if p.bar != nil {
		p.bar.Add(1)
	}
}

func (p *progress) done() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

// spin shows a spinner with the elapsed time while work runs (work whose
// length tfc cannot know, such as TensorRT's builder).
func spin(w io.Writer, quiet bool, what string, work func() error) error {
	if !showProgress(w, quiet) {
		return work()
	}
	bar := progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionClearOnFinish(),
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				bar.Add(1)
			}
		}
	}()
	err := work()
	close(stop)
	wg.Wait()
	bar.Finish()
	return err
}

// newByteProgress is a bar over n bytes written through wrap (shown only
// for at least 16 MiB: smaller writes are over before it would help).
func newByteProgress(w io.Writer, quiet bool, n int64, what string) *progress {
	if !showProgress(w, quiet) || n < 16<<20 {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions64(n,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowBytes(true),
		progressbar.OptionUseIECUnits(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond),
	)}
}

// wrap counts what is written to w on the bar, up to its size: the file
// is a little larger than the weights, and the bar must never fail a
// write.
func (p *progress) wrap(w io.Writer) io.Writer {
	if p.bar == nil {
		return w
	}
	return &barWriter{w: w, bar: p.bar, left: p.bar.GetMax64()}
}

type barWriter struct {
	w    io.Writer
	bar  *progressbar.ProgressBar
	left int64
}

func (b *barWriter) Write(p []byte) (int, error) {
	n, err := b.w.Write(p)
	if add := min(int64(n), b.left); add > 0 {
		b.left -= add
		b.bar.Add64(add)
	}
	return n, err
}
