package main

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strings"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/passes"
)

// passReport records the IR after every pass for compile -html, like the
// Go compiler's ssa.html (GOSSAFUNC): one column per pass that changed
// the IR, side by side, lines new since the previous column highlighted.

type passColumn struct {
	Title   string // "fold (round 1)"
	Detail  string // "485 → 412 ops, 6.7 ms"
	Added   int
	Removed int
	Lines   []passLine
}

type passLine struct {
	Text string
	New  bool
}

type passReport struct {
	Model     string
	Columns   []passColumn
	Unchanged []string // runs that changed nothing
	prev      map[string]int
}

// valueNumber matches %N: the printer renumbers values, so lines are
// compared with the numbers taken out.
var valueNumber = regexp.MustCompile(`%[0-9]+`)

// add records the IR as text after a step.
func (r *passReport) add(title, detail string, f *ir.Func) error {
	var b bytes.Buffer
	if err := ir.Print(&b, f, ir.PrintOptions{}); err != nil {
		return err
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	col := passColumn{Title: title, Detail: detail}
	cur := map[string]int{}
	left := map[string]int{}
	for k, v := range r.prev {
		left[k] = v
	}
	for _, l := range lines {
		key := valueNumber.ReplaceAllString(l, "%")
		cur[key]++
		isNew := false
		if r.prev != nil {
			if left[key] > 0 {
				left[key]--
			} else {
				isNew = true
				col.Added++
			}
		}
		col.Lines = append(col.Lines, passLine{Text: l, New: isNew})
	}
	for _, n := range left {
		col.Removed += n
	}
	r.prev = cur
	r.Columns = append(r.Columns, col)
	return nil
}

// afterPass is the passes.Options.AfterPass hook.
func (r *passReport) afterPass(run passes.PassRun, f *ir.Func) error {
	title := fmt.Sprintf("%s (round %d)", run.Name, run.Round)
	if !run.Changed {
		r.Unchanged = append(r.Unchanged, title)
		return nil
	}
	return r.add(title, fmt.Sprintf("%d → %d ops, %s", run.OpsBefore, run.OpsAfter, duration(run.Duration)), f)
}

func (r *passReport) write(w io.Writer) error {
	return passHTML.Execute(w, r)
}

var passHTML = template.Must(template.New("passes").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>tfc passes: {{.Model}}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 0; }
header { padding: 8px 12px; border-bottom: 1px solid #ccc; font-size: 13px; }
header h1 { font-size: 16px; margin: 0 0 4px 0; }
#columns { display: flex; align-items: flex-start; overflow-x: auto; height: calc(100vh - 90px); }
.col { flex: 0 0 auto; max-width: 60em; border-right: 1px solid #ccc; display: flex; flex-direction: column; height: 100%; }
.col h2 { font-size: 13px; margin: 0; padding: 4px 8px; background: #eee; cursor: pointer; white-space: nowrap; }
.col h2 .detail { font-weight: normal; color: #555; }
.col h2 .added { color: #1b7f3a; }
.col h2 .removed { color: #b3261e; }
.col pre { margin: 0; padding: 4px 8px; font-size: 11px; overflow: auto; flex: 1; }
.col.collapsed pre { display: none; }
.col.collapsed h2 { writing-mode: vertical-rl; height: 100%; }
.line.new { background: #c8f2d0; }
.line.hl { outline: 1px solid #f0a000; background: #fff3c4; }
</style>
</head>
<body>
<header>
<h1>tfc compile -html: {{.Model}}</h1>
The IR after each pass that changed it; lines new since the column to the left are
<span class="line new">highlighted</span> (value numbers are ignored when comparing).
Click a column's title to fold it; click a line to mark lines of the same source node in every column.
{{if .Unchanged}}<br>Passes that changed nothing: {{range $i, $u := .Unchanged}}{{if $i}}, {{end}}{{$u}}{{end}}.{{end}}
</header>
<div id="columns">
{{range .Columns}}<div class="col">
<h2 title="{{.Title}}">{{.Title}} <span class="detail">{{.Detail}}</span>{{if or .Added .Removed}} <span class="added">+{{.Added}}</span> <span class="removed">−{{.Removed}}</span>{{end}}</h2>
<pre>{{range .Lines}}<span class="line{{if .New}} new{{end}}">{{.Text}}</span>
{{end}}</pre>
</div>
{{end}}</div>
<script>
document.querySelectorAll(".col h2").forEach(function (h) {
  h.addEventListener("click", function () { h.parentElement.classList.toggle("collapsed"); });
});
function locOf(text) { var m = /loc\("([^"]*)"\)/.exec(text); return m ? m[1] : null; }
document.querySelectorAll(".line").forEach(function (l) {
  l.addEventListener("click", function () {
    var loc = locOf(l.textContent);
    document.querySelectorAll(".line.hl").forEach(function (x) { x.classList.remove("hl"); });
    if (!loc) return;
    document.querySelectorAll(".line").forEach(function (x) { if (locOf(x.textContent) === loc) x.classList.add("hl"); });
  });
});
document.body.dataset.columns = document.querySelectorAll(".col").length;
document.body.dataset.newLines = document.querySelectorAll(".line.new").length;
</script>
</body>
</html>
`))
