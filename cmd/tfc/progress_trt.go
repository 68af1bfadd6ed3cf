package main

import (
	"io"
	"strings"
	"sync"

	"github.com/schollz/progressbar/v3"
	"github.com/tfc-dev/tfc/backend/tensorrt"
)

// trtProgress draws TensorRT's IProgressMonitor calls during an engine
// build: a bar per top-level phase (its steps), with the nested phases
// running named in its description. TensorRT may call from its own
// threads.
type trtProgress struct {
	mu    sync.Mutex
	w     io.Writer
	bar   *progressbar.ProgressBar
	stack []string // phases started and not finished, outermost first
}

func newTRTProgress(w io.Writer) *trtProgress { return &trtProgress{w: w} }

// event is tensorrt.BuildOptions.Progress; it never cancels the build.
func (p *trtProgress) event(ev tensorrt.ProgressEvent) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev.Kind {
	case tensorrt.PhaseStart:
		if ev.Parent == "" || len(p.stack) == 0 {
			p.finishBar()
			p.stack = p.stack[:0]
			p.bar = progressbar.NewOptions(max(ev.Steps, 1),
				progressbar.OptionSetWriter(p.w),
				progressbar.OptionSetDescription(ev.Phase),
				progressbar.OptionShowCount(),
				progressbar.OptionSetElapsedTime(true),
				progressbar.OptionClearOnFinish(),
				progressbar.OptionSetRenderBlankState(true),
			)
		}
		p.stack = append(p.stack, ev.Phase)
		p.describe()
	case tensorrt.StepDone:
		if len(p.stack) > 0 && ev.Phase == p.stack[0] && p.bar != nil {
			p.bar.Set(ev.Step + 1)
		}
	case tensorrt.PhaseFinish:
		for i := len(p.stack) - 1; i >= 0; i-- {
			if p.stack[i] == ev.Phase {
				p.stack = p.stack[:i]
				break
			}
		}
		if len(p.stack) == 0 {
			p.finishBar()
		} else {
			p.describe()
		}
	}
	return true
}

func (p *trtProgress) describe() {
	if p.bar == nil {
		return
	}
	// The outermost phase and the innermost one running: the whole
	// chain is often wider than the terminal.
	d := strings.Join(p.stack, " › ")
	if len(p.stack) > 2 {
		d = p.stack[0] + " › … › " + p.stack[len(p.stack)-1]
	}
	p.bar.Describe(d)
}

func (p *trtProgress) finishBar() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
}

// done clears whatever is left (a build that failed mid-phase).
func (p *trtProgress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finishBar()
}
