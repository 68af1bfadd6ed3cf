package trt

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unsafe"

	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

// Print writes d in tfc's text form (`tfc compile -emit=network`):
//
//	network: 1 input, 3 layers, 1 output
//	input %0 "x" kFLOAT [1,3,224,224]
//	#0 Convolution "conv1/Conv2D" (%0 [1,3,224,224]) -> %1 [1,64,112,112] kFLOAT  k=[7,7] s=[2,2] pre=[3,3] post=[3,3] d=[1,1] groups=1 weights=9408 kFLOAT [-0.1,0.1] bias=64 kFLOAT [0,0]
//	...
//	output %5 "prob" kFLOAT [1,1000]
//
// Tensors are %ID; an output tensor's name is shown (as %ID "name") unless
// it is TensorRT's default name. Absent optional inputs print as "-".
// Weights are summarised as count, type and [min,max]; constants of at most
// 8 values print their values. The output is deterministic.
func Print(w io.Writer, d *Description) error {
	bw := bufio.NewWriter(w)
	plural := func(n int, s string) string {
		if n == 1 {
			return "1 " + s
		}
		return strconv.Itoa(n) + " " + s + "s"
	}
	fmt.Fprintf(bw, "network: %s, %s, %s\n", plural(len(d.Inputs), "input"), plural(len(d.Layers), "layer"), plural(len(d.Outputs), "output"))
	for _, t := range d.Inputs {
		if t == nil {
			bw.WriteString("input <nil>\n")
			continue
		}
		fmt.Fprintf(bw, "input %%%d %q %v %v\n", t.ID, t.Name, t.Type, t.Dims)
	}
	// Optimization profiles (dynamic networks only): one line per input.
	for k, p := range d.Profiles {
		for _, s := range p {
			fmt.Fprintf(bw, "profile %d %q min %v opt %v max %v\n", k, s.Input, s.Min, s.Opt, s.Max)
		}
	}
	bw.WriteString(describeConstructs(d))
	params := layerParamTexts(d.Layers)
	// Each line is appended to one buffer with strconv (what fmt's %d,
	// %q and %v of these values write), not formatted by fmt: a million
	// layers would box every argument.
	var line []byte
	for i, l := range d.Layers {
		line = append(line[:0], '#')
		line = strconv.AppendInt(line, int64(i), 10)
		if l == nil {
			line = append(line, " <nil>\n"...)
			bw.Write(line)
			continue
		}
		line = append(line, ' ')
		line = append(line, l.Type.String()...)
		line = append(line, ' ')
		line = strconv.AppendQuote(line, l.Name)
		line = append(line, " ("...)
		for j, t := range l.Inputs {
			if j > 0 {
				line = append(line, ", "...)
			}
			if t == nil {
				line = append(line, '-')
				continue
			}
			line = append(line, '%')
			line = strconv.AppendInt(line, int64(t.ID), 10)
			line = append(line, ' ')
			line = appendDims(line, t.Dims)
		}
		line = append(line, ") ->"...)
		for j, t := range l.Outputs {
			if j > 0 {
				line = append(line, ',')
			}
			if t == nil {
				line = append(line, " <nil>"...)
				continue
			}
			line = append(line, " %"...)
			line = strconv.AppendInt(line, int64(t.ID), 10)
			if !isDefaultTensorName(t.Name) {
				line = append(line, ' ')
				line = strconv.AppendQuote(line, t.Name)
			}
			line = append(line, ' ')
			line = appendDims(line, t.Dims)
			line = append(line, ' ')
			line = append(line, t.Type.String()...)
		}
		if p := params[i]; p != "" {
			line = append(line, "  "...)
			line = append(line, p...)
		}
		line = append(line, '\n')
		bw.Write(line)
	}
	for _, t := range d.Outputs {
		if t == nil {
			bw.WriteString("output <nil>\n")
			continue
		}
		fmt.Fprintf(bw, "output %%%d %q %v %v\n", t.ID, t.Name, t.Type, t.Dims)
	}
	return bw.Flush()
}

func isDefaultTensorName(s string) bool {
	return strings.HasPrefix(s, "(Unnamed Layer* ") && strings.Contains(s, "]_output")
}

func axesText(mask uint32) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, a := range axesList(mask) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(a))
	}
	b.WriteByte(']')
	return b.String()
}

func permText(p Permutation) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, x := range p {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(int(x)))
	}
	b.WriteByte(']')
	return b.String()
}

func isIdentity(p Permutation) bool {
	for i, x := range p {
		if int(x) != i {
			return false
		}
	}
	return true
}

func fmtFloat(v float64, bits int) string { return strconv.FormatFloat(v, 'g', -1, bits) }

func f32(v float32) string { return fmtFloat(float64(v), 32) }

func valueText(v float64, t DataType) string {
	switch t {
	case Bool:
		return strconv.FormatBool(v != 0)
	case Float, Half, BF16:
		return fmtFloat(v, 32)
	}
	return strconv.FormatInt(int64(v), 10)
}

// littleEndian is true on little-endian machines (where Weights' bytes
// are laid out as the machine's own numbers).
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// weightAt decodes element i of valid weights as float64.
func weightAt(w Weights, i int) float64 {
	b := w.Values
	switch w.Type {
	case Float:
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
	case Half:
		return float64(tensor.F16FromBits(binary.LittleEndian.Uint16(b[2*i:])))
	case BF16:
		return float64(tensor.BF16FromBits(binary.LittleEndian.Uint16(b[2*i:])))
	case Int8:
		return float64(int8(b[i]))
	case Uint8, Bool:
		return float64(b[i])
	case Int32:
		return float64(int32(binary.LittleEndian.Uint32(b[4*i:])))
	case Int64:
		return float64(int64(binary.LittleEndian.Uint64(b[8*i:])))
	}
	return math.NaN()
}

// weightStats scans valid weights for their range without decoding them
// into a slice (ResNet50 prints 25M weights); kFLOAT has a fast path.
func weightStats(w Weights) (lo, hi float64, nan int) {
	lo, hi = math.Inf(1), math.Inf(-1)
	if w.Type == Float && len(w.Values) >= 4 {
		flo, fhi := float32(math.Inf(1)), float32(math.Inf(-1))
		var vals []float32
		if littleEndian {
			// The bytes are the float32s: view them instead of decoding.
			vals = unsafe.Slice((*float32)(unsafe.Pointer(&w.Values[0])), len(w.Values)/4)
		} else {
			vals = make([]float32, len(w.Values)/4)
			for i := range vals {
				vals[i] = math.Float32frombits(binary.LittleEndian.Uint32(w.Values[4*i:]))
			}
		}
		// Split over the cores (ResNet50 prints 25M weights), each part
		// scanned by kernels.RangeF32 (vector min/max where the CPU has
		// them); a part is special if any element is NaN or infinite,
		// which is when the exact NaN count needs a second pass.
		parts := 1
		if len(vals) >= 1<<20 {
			parts = runtime.GOMAXPROCS(0)
		}
		special := false
		if parts == 1 { // in this goroutine, with nothing allocated
			l, h, sp := kernels.RangeF32(vals)
			flo, fhi, special = min32(flo, l), max32(fhi, h), sp
		} else {
			los, his, sps := make([]float32, parts), make([]float32, parts), make([]bool, parts)
			var wg sync.WaitGroup
			for p := range parts {
				chunk := vals[p*len(vals)/parts : (p+1)*len(vals)/parts]
				wg.Go(func() { los[p], his[p], sps[p] = kernels.RangeF32(chunk) })
			}
			wg.Wait()
			for p := range parts {
				// In order, the earlier part kept on ties: the range of one scan.
				flo, fhi, special = min32(flo, los[p]), max32(fhi, his[p]), special || sps[p]
			}
		}
		if special {
			for _, v := range vals {
				if v != v {
					nan++
				}
			}
		}
		return float64(flo), float64(fhi), nan
	}
	for i := range int(w.Count) {
		v := weightAt(w, i)
		if math.IsNaN(v) {
			nan++
			continue
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, hi, nan
}

// themselves when there are at most 8 and showValues is set.
func weightsText(w Weights, showValues bool) string {
	if w.Empty() {
		return "0"
	}
	if w.check() != nil || w.Type.Size() == 0 {
		return fmt.Sprintf("%d %v <%d bytes>", w.Count, w.Type, len(w.Values))
	}
	// What fmt.Sprintf("%d %v", w.Count, w.Type) writes.
	s := strconv.FormatInt(w.Count, 10) + " " + w.Type.String()
	if showValues && w.Count <= 8 {
		parts := make([]string, w.Count)
		for i := range parts {
			parts[i] = valueText(weightAt(w, i), w.Type)
		}
		return s + " {" + strings.Join(parts, ",") + "}"
	}
	lo, hi, nan := weightStats(w)
	if int64(nan) < w.Count {
		s += " [" + valueText(lo, w.Type) + "," + valueText(hi, w.Type) + "]"
	}
	if nan > 0 {
		s += fmt.Sprintf(" nan=%d", nan)
	}
	return s
}

// layerParamTexts is paramText of each layer (nil ones ""), the layers
// shared out over the cores: most of the time is the weights' ranges.
func layerParamTexts(layers []*LayerDesc) []string {
	texts := make([]string, len(layers))
	const chunk = 64 // layers a worker takes at a time
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(layers)) {
		wg.Go(func() {
			for start := int(next.Add(chunk)) - chunk; start < len(layers); start = int(next.Add(chunk)) - chunk {
				for i := start; i < min(start+chunk, len(layers)); i++ {
					if l := layers[i]; l != nil {
						texts[i] = paramText(l.Params)
					}
				}
			}
		})
	}
	wg.Wait()
	return texts
}

// paramText is the key parameters of a layer, "k=v" separated by spaces
// (each kind's text method).
func paramText(params LayerParams) string {
	if params == nil {
		return ""
	}
	return params.text()
}

// fields collects a layer's "k=v" parameter texts.
type fields []string

func (f *fields) add(format string, args ...any) { *f = append(*f, fmt.Sprintf(format, args...)) }

func (f fields) String() string { return strings.Join(f, " ") }

// The JSON form.

type jsonTensor struct {
	ID       int    `json:"id"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	Dims     Dims   `json:"dims"`
	Producer *int   `json:"producer,omitempty"` // layer index; absent for network inputs
}

type jsonLayer struct {
	Index   int            `json:"index"`
	Kind    string         `json:"kind"`
	Name    string         `json:"name"`
	Inputs  []*jsonTensor  `json:"inputs"` // null for absent optional inputs
	Outputs []jsonTensor   `json:"outputs"`
	Params  map[string]any `json:"params"`
}

type jsonWeights struct {
	Type   string `json:"type"`
	Count  int64  `json:"count"`
	SHA256 string `json:"sha256"`
}

type jsonNetwork struct {
	Inputs   []jsonTensor  `json:"inputs"`
	Profiles []jsonProfile `json:"-"` // a section of its own, only when present
	Layers   []jsonLayer   `json:"layers"`
	Outputs  []jsonTensor  `json:"outputs"`
}

type jsonProfile struct {
	Profile int    `json:"profile"`
	Input   string `json:"input"`
	Min     Dims   `json:"min"`
	Opt     Dims   `json:"opt"`
	Max     Dims   `json:"max"`
}

func tensorJSON(t *TensorDesc) jsonTensor {
	j := jsonTensor{ID: t.ID, Name: t.Name, Type: t.Type.String(), Dims: t.Dims}
	if j.Dims == nil {
		j.Dims = Dims{}
	}
	if t.Producer != nil {
		id := t.Producer.ID
		j.Producer = &id
	}
	return j
}

// PrintJSON writes d as stable JSON, one tensor or layer object per line: the network inputs, the
// layers in order (index, kind, name, inputs, outputs, params) and the
// network outputs, and for a dynamic network, between inputs and layers,
// "profiles": one {profile, input, min, opt, max} per input of each
// optimization profile. Every tensor is {id, name, type, dims, producer} (the
// producer layer's index, absent for network inputs); an absent optional
// layer input is null. Params are keyed
// by the parameter struct's field names in lowerCamelCase, enums by
// TensorRT name ("kRELU"), bitmasks as numbers, and Weights as {type,
// count, sha256} of the raw bytes (never the values). Keys are sorted, so
// the output is deterministic.
func PrintJSON(w io.Writer, d *Description) error {
	n := jsonNetwork{Inputs: []jsonTensor{}, Layers: []jsonLayer{}, Outputs: []jsonTensor{}}
	for _, t := range d.Inputs {
		if t != nil {
			n.Inputs = append(n.Inputs, tensorJSON(t))
		}
	}
	for i, l := range d.Layers {
		if l == nil {
			continue
		}
		jl := jsonLayer{Index: i, Kind: l.Type.String(), Name: l.Name, Inputs: []*jsonTensor{}, Outputs: []jsonTensor{}, Params: paramsJSON(l.Params)}
		for _, t := range l.Inputs {
			if t == nil {
				jl.Inputs = append(jl.Inputs, nil)
				continue
			}
			jt := tensorJSON(t)
			jl.Inputs = append(jl.Inputs, &jt)
		}
		for _, t := range l.Outputs {
			if t != nil {
				jl.Outputs = append(jl.Outputs, tensorJSON(t))
			}
		}
		n.Layers = append(n.Layers, jl)
	}
	for _, t := range d.Outputs {
		if t != nil {
			n.Outputs = append(n.Outputs, tensorJSON(t))
		}
	}
	// One object per line: readable, diff-friendly and still plain JSON.
	bw := bufio.NewWriter(w)
	bw.WriteString("{\n")
	section := func(key string, n int, elem func(i int) any, last bool) error {
		fmt.Fprintf(bw, "  %q: [", key)
		for i := 0; i < n; i++ {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(elem(i)); err != nil {
				return err
			}
			b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
			if i > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString("\n    ")
			bw.Write(b)
		}
		if n > 0 {
			bw.WriteString("\n  ")
		}
		bw.WriteString("]")
		if !last {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
		return nil
	}
	if err := section("inputs", len(n.Inputs), func(i int) any { return n.Inputs[i] }, false); err != nil {
		return err
	}
	for k, p := range d.Profiles {
		for _, s := range p {
			n.Profiles = append(n.Profiles, jsonProfile{Profile: k, Input: s.Input, Min: s.Min, Opt: s.Opt, Max: s.Max})
		}
	}
	if len(n.Profiles) > 0 {
		if err := section("profiles", len(n.Profiles), func(i int) any { return n.Profiles[i] }, false); err != nil {
			return err
		}
	}
	if err := section("layers", len(n.Layers), func(i int) any { return n.Layers[i] }, false); err != nil {
		return err
	}
	if err := section("outputs", len(n.Outputs), func(i int) any { return n.Outputs[i] }, true); err != nil {
		return err
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

var (
	dimsType    = reflect.TypeFor[Dims]()
	permType    = reflect.TypeFor[Permutation]()
	weightsType = reflect.TypeFor[Weights]()
	tensorType  = reflect.TypeFor[Tensor]()
	stringerTyp = reflect.TypeFor[fmt.Stringer]()
)

// paramsJSON turns a parameter struct into a map by reflection.
func paramsJSON(params any) map[string]any {
	m := map[string]any{}
	if params == nil {
		return m
	}
	v := reflect.ValueOf(params)
	if v.Kind() != reflect.Struct {
		m["value"] = fmt.Sprint(params)
		return m
	}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || f.Type == tensorType {
			continue
		}
		fv := v.Field(i)
		key := lowerFirst(f.Name)
		switch {
		case f.Type == dimsType:
			if fv.IsNil() {
				m[key] = nil
			} else {
				m[key] = fv.Interface()
			}
		case f.Type == permType:
			if fv.IsNil() {
				m[key] = nil
			} else {
				m[key] = fv.Interface()
			}
		case f.Type == weightsType:
			w := fv.Interface().(Weights)
			sum := sha256.Sum256(w.Values)
			m[key] = jsonWeights{Type: w.Type.String(), Count: w.Count, SHA256: hex.EncodeToString(sum[:])}
		case f.Type.Implements(stringerTyp) && f.Type.Kind() == reflect.Int32:
			m[key] = fv.Interface().(fmt.Stringer).String()
		case fv.Kind() == reflect.Float32 || fv.Kind() == reflect.Float64:
			x := fv.Float()
			if math.IsNaN(x) || math.IsInf(x, 0) {
				m[key] = strconv.FormatFloat(x, 'g', -1, 64)
			} else {
				m[key] = fv.Interface()
			}
		default:
			m[key] = fv.Interface()
		}
	}
	return m
}

func lowerFirst(s string) string {
	r := []rune(s)
	// Leading acronyms stay readable: "NbGroups" -> "nbGroups".
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// min32 and max32 skip NaN operands on the right (x < NaN is false).
func min32(a, b float32) float32 {
	if b < a {
		return b
	}
	return a
}

func max32(a, b float32) float32 {
	if b > a {
		return b
	}
	return a
}
