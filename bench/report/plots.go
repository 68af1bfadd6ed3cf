package main

import (
	"fmt"
	"image/color"
	"math"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/tfc-dev/tfc/bench/internal/results"
)

var palette = []color.Color{
	color.RGBA{0x1f, 0x77, 0xb4, 0xff}, // blue: tfc
	color.RGBA{0xff, 0x7f, 0x0e, 0xff}, // orange
	color.RGBA{0x2c, 0xa0, 0x2c, 0xff}, // green
	color.RGBA{0xd6, 0x27, 0x28, 0xff}, // red
	color.RGBA{0x94, 0x67, 0xbd, 0xff}, // purple
}

const plotW, plotH = 6.4 * vg.Inch, 3.8 * vg.Inch

// logBars maps positive values to bar heights above a power-of-ten
// baseline, so that bars can show values spanning decades (gonum's bars
// start at zero, which a log axis cannot show).
type logBars struct{ base, top int }

func newLogBars(vals ...float64) logBars {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		if v > 0 && !math.IsInf(v, 0) && !math.IsNaN(v) {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if math.IsInf(lo, 1) {
		return logBars{0, 1}
	}
	return logBars{int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi) + 1e-9))}
}

// h is the bar height for v (0 for no value).
func (l logBars) h(v float64) float64 {
	if !(v > 0) || math.IsInf(v, 0) {
		return 0
	}
	return math.Log10(v) - float64(l.base)
}

// ticker labels decades with label(10^k).
func (l logBars) ticker(label func(float64) string) plot.Ticker {
	return plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		var t []plot.Tick
		for k := l.base; k <= l.top; k++ {
			t = append(t, plot.Tick{Value: float64(k - l.base), Label: label(math.Pow(10, float64(k)))})
			for _, m := range []float64{2, 5} {
				if v := float64(k-l.base) + math.Log10(m); v <= hi {
					t = append(t, plot.Tick{Value: v})
				}
			}
		}
		return t
	})
}

func newPlot(title, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = ylabel
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	return p
}

// groupedBars adds one bar series per name over the groups.
func groupedBars(p *plot.Plot, lb logBars, groups []string, names []string, value func(g, s int) float64) error {
	w := vg.Points(min(28, 200/float64(len(names))))
	for s, name := range names {
		vals := make(plotter.Values, len(groups))
		for g := range groups {
			vals[g] = lb.h(value(g, s))
		}
		b, err := plotter.NewBarChart(vals, w)
		if err != nil {
			return err
		}
		b.Color = palette[s%len(palette)]
		b.LineStyle.Width = 0
		b.Offset = w * vg.Length(float64(s)-float64(len(names)-1)/2)
		p.Add(b)
		p.Legend.Add(name, b)
	}
	p.NominalX(groups...)
	p.Y.Min = 0
	p.Y.Max = float64(lb.top-lb.base) + 0.6 // room for the legend
	return nil
}

// hline draws a dashed horizontal line at height y, labelled in the legend.
func hline(p *plot.Plot, y float64, n int, label string) error {
	l, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: y}, {X: float64(n) - 0.5, Y: y}})
	if err != nil {
		return err
	}
	l.Color = color.Black
	l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(l)
	p.Legend.Add(label, l)
	return nil
}

func ratioLabel(v float64) string {
	if v < 1 {
		return fmt.Sprintf("%g×", v)
	}
	return fmt.Sprintf("%.0f×", v)
}

func bytesLabel(v float64) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%.0f GB", v/1e9)
	case v >= 1e6:
		return fmt.Sprintf("%.0f MB", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.0f kB", v/1e3)
	}
	return fmt.Sprintf("%.0f B", v)
}

func secondsLabel(v float64) string {
	switch {
	case v >= 1:
		return fmt.Sprintf("%g s", v)
	case v >= 1e-3:
		return fmt.Sprintf("%g ms", v*1e3)
	}
	return fmt.Sprintf("%g µs", v*1e6)
}

// plotConversion: speed-up of tfc over tf2onnx per model, and the goal.
func plotConversion(r *results.Results, dir string) (string, error) {
	c := r.Conversion
	var groups []string
	var ratio []float64
	for _, m := range c.Models {
		groups = append(groups, m.Name)
		ratio = append(ratio, speedup(m))
	}
	lb := newLogBars(append(ratio, 1, goalSpeedup*2)...)
	lb.base = 0
	p := newPlot("Conversion: tf2onnx wall time / tfc wall time (median)", "speed-up (log)")
	p.Y.Tick.Marker = lb.ticker(ratioLabel)
	if err := groupedBars(p, lb, groups, []string{"tfc -emit=network vs tf2onnx --opset 17"}, func(g, _ int) float64 { return ratio[g] }); err != nil {
		return "", err
	}
	if err := hline(p, lb.h(goalSpeedup), len(groups), fmt.Sprintf("goal: %.0f× on ResNet50", goalSpeedup)); err != nil {
		return "", err
	}
	return save(p, dir, "conversion.png")
}

// plotMemory: peak RSS of both converters per model against the RSS goal.
func plotMemory(r *results.Results, dir string) (string, error) {
	c := r.Conversion
	var groups []string
	var vals [][3]float64
	var all []float64
	for _, m := range c.Models {
		groups = append(groups, m.Name)
		v := [3]float64{
			results.Median(m.TFC.RSSMB()) * 1e6,
			results.Median(m.TF2ONNX.RSSMB()) * 1e6,
			rssLimitMB(m.FileBytes) * 1e6,
		}
		vals = append(vals, v)
		all = append(all, v[:]...)
	}
	lb := newLogBars(all...)
	p := newPlot("Conversion: peak RSS (median)", "peak RSS (log)")
	p.Y.Tick.Marker = lb.ticker(bytesLabel)
	names := []string{"tfc", "tf2onnx", "goal: " + rssGoalText()}
	if err := groupedBars(p, lb, groups, names, func(g, s int) float64 { return vals[g][s] }); err != nil {
		return "", err
	}
	return save(p, dir, "memory.png")
}

// plotInference: steady-state time per inference of each engine per model.
func plotInference(r *results.Results, dir string) (string, error) {
	inf := r.Inference
	var groups []string
	var all []float64
	for _, m := range inf.Models {
		groups = append(groups, m.Name)
		for _, e := range m.Engines {
			if e.Status == "ok" {
				all = append(all, results.Median(e.TimesS))
			}
		}
	}
	lb := newLogBars(all...)
	p := newPlot("CPU inference, batch 1: median time per inference (missing bar: unsupported)", "time (log)")
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.Y.Tick.Marker = lb.ticker(secondsLabel)
	value := func(g, s int) float64 {
		for _, e := range inf.Models[g].Engines {
			if e.Engine == engines[s] && e.Status == "ok" {
				return results.Median(e.TimesS)
			}
		}
		return 0
	}
	if err := groupedBars(p, lb, groups, engines, value); err != nil {
		return "", err
	}
	return save(p, dir, "inference.png")
}

// plotScaling: log-log compile time and peak RSS against graph size.
func plotScaling(r *results.Results, dir string) (string, error) {
	s := r.Scaling
	p := newPlot("Scaling: tfc compile -emit=network on synthetic graphs", "median")
	p.X.Label.Text = "GraphDef nodes"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = relabel(plot.LogTicks{Prec: -1}, nodesStr), plot.LogTicks{Prec: -1}
	p.Legend.Left = true
	var ts, ms, fit plotter.XYs
	for _, pt := range s.Points {
		if !pt.TFC.OK() {
			continue
		}
		x := float64(pt.Nodes)
		ts = append(ts, plotter.XY{X: x, Y: results.Median(pt.TFC.Wall())})
		ms = append(ms, plotter.XY{X: x, Y: results.Median(pt.TFC.RSSMB()) / 1e3})
		fit = append(fit, plotter.XY{X: x, Y: s.TimeFit.C * math.Pow(x, s.TimeFit.Exponent)})
	}
	if len(ts) == 0 {
		return "", fmt.Errorf("no scaling points")
	}
	add := func(xys plotter.XYs, label string, c color.Color, dashed bool) error {
		l, pts, err := plotter.NewLinePoints(xys)
		if err != nil {
			return err
		}
		l.Color, pts.Color = c, c
		pts.Shape = draw.CircleGlyph{}
		if dashed {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			p.Add(l)
		} else {
			p.Add(l, pts)
		}
		p.Legend.Add(label, l)
		return nil
	}
	if err := add(ts, "wall time (s)", palette[0], false); err != nil {
		return "", err
	}
	if err := add(fit, fmt.Sprintf("fit: time ~ nodes^%.3f", s.TimeFit.Exponent), palette[0], true); err != nil {
		return "", err
	}
	if err := add(ms, "peak RSS (GB)", palette[1], false); err != nil {
		return "", err
	}
	// Whole decades at the ends (the largest graph has 999997 nodes).
	p.X.Min = math.Pow(10, math.Floor(math.Log10(ts[0].X)+1e-3))
	p.X.Max = math.Pow(10, math.Ceil(math.Log10(ts[len(ts)-1].X)-1e-3))
	// Room above the lines for the legend.
	p.Y.Max = ts[len(ts)-1].Y * 30
	p.Y.Min = min(ms[0].Y, ts[0].Y) / 2
	// A linear reference through the first time point.
	lin := plotter.XYs{ts[0], {X: ts[len(ts)-1].X, Y: ts[0].Y * ts[len(ts)-1].X / ts[0].X}}
	if err := add(lin, "linear (exponent 1) from the first point", color.Gray{Y: 0x80}, true); err != nil {
		return "", err
	}
	return save(p, dir, "scaling.png")
}

// relabel gives a ticker's labelled ticks labels of its own.
func relabel(t plot.Ticker, label func(int) string) plot.Ticker {
	return plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		ticks := t.Ticks(lo, hi)
		for i := range ticks {
			if ticks[i].Label != "" {
				ticks[i].Label = label(int(math.Round(ticks[i].Value)))
			}
		}
		return ticks
	})
}

func save(p *plot.Plot, dir, name string) (string, error) {
	path := filepath.Join(dir, name)
	if err := p.Save(plotW, plotH, path); err != nil {
		return "", err
	}
	return path, nil
}
