//go:build tensorrt || tensorrt_rtx

package tensorrt

// Go functions TensorRT calls back through the shim (ILogger::log and
// IProgressMonitor). They may run on TensorRT's own threads.

/*
#include <stdint.h>
*/
import "C"

import "runtime/cgo"

//export tfcGoLog
func tfcGoLog(h C.uintptr_t, severity C.int32_t, msg *C.char) {
	defer func() { recover() }() // a panicking Log must not unwind into C++
	if f, ok := cgo.Handle(h).Value().(func(Severity, string)); ok && f != nil {
		f(Severity(severity), C.GoString(msg))
	}
}

//export tfcGoProgress
func tfcGoProgress(h C.uintptr_t, kind C.int32_t, phase, parent *C.char, n C.int32_t) (ret C.int32_t) {
	ret = 1
	defer func() {
		if recover() != nil {
			ret = 1
		}
	}()
	f, ok := cgo.Handle(h).Value().(func(ProgressEvent) bool)
	if !ok || f == nil {
		return 1
	}
	ev := ProgressEvent{Kind: ProgressKind(kind), Phase: C.GoString(phase)}
	switch ev.Kind {
	case PhaseStart:
		ev.Parent = C.GoString(parent)
		ev.Steps = int(n)
	case StepDone:
		ev.Step = int(n)
	}
	if f(ev) {
		return 1
	}
	return 0
}
