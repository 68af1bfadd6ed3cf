package savedmodel

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	"github.com/tfc-dev/tfc/frontend/tf/bundle"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/internal/safeio"
)

// Kind is the form of a model on disk.
type Kind int

const (
	// NotModel: the path is neither a SavedModel nor a checkpoint (a
	// frozen GraphDef, IR text, ...).
	NotModel Kind = iota
	// SavedModelDir: a directory with saved_model.pb (or .pbtxt) and
	// variables/variables.{index,data-*}.
	SavedModelDir
	// Checkpoint: a TF1 checkpoint, PREFIX.meta (a MetaGraphDef),
	// PREFIX.index and PREFIX.data-NNNNN-of-NNNNN.
	Checkpoint
)

func (k Kind) String() string {
	switch k {
	case SavedModelDir:
		return "SavedModel"
	case Checkpoint:
		return "TF1 checkpoint"
	}
	return "not a SavedModel or checkpoint"
}

// DefaultSignature and DefaultTag are what Freeze uses when Options leave
// them empty (as saved_model_cli and TF Serving do).
const (
	DefaultSignature = "serving_default"
	DefaultTag       = "serve"
	// initOpSignature is the pseudo-signature TF2 uses for its init op.
	initOpSignature = "__saved_model_init_op"
)

// Detect reports the kind of model at path:
//
//   - a directory holding saved_model.pb or saved_model.pbtxt, or such a
//     file itself: SavedModelDir;
//   - PREFIX.meta, PREFIX.index, or PREFIX when PREFIX.meta exists, or a
//     directory with a Saver's "checkpoint" state file (its
//     model_checkpoint_path is the prefix): Checkpoint.
//
// It only looks at names and the file system, not at contents.
func Detect(path string) Kind {
	st, err := os.Stat(path)
	if err == nil && st.IsDir() {
		for _, n := range []string{"saved_model.pb", "saved_model.pbtxt"} {
			if fileExists(filepath.Join(path, n)) {
				return SavedModelDir
			}
		}
		if fileExists(filepath.Join(path, "checkpoint")) {
			return Checkpoint // a Saver's directory: its state file names the latest prefix
		}
		return NotModel
	}
	switch base := filepath.Base(path); {
	case base == "saved_model.pb" || base == "saved_model.pbtxt":
		return SavedModelDir
	case strings.HasSuffix(base, ".meta") || strings.HasSuffix(base, ".index"):
		return Checkpoint
	}
	if err != nil && fileExists(path+".meta") {
		return Checkpoint
	}
	return NotModel
}

// fileExists reports whether p exists and is not a directory. A FIFO or a
// device counts, so that reading it is what fails, naming it
// (safeio.ReadFile refuses anything but a regular file).
func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// Model is a SavedModel or TF1 checkpoint with one meta graph selected.
type Model struct {
	Kind Kind
	// GraphFile is the file holding the meta graph (saved_model.pb or
	// PREFIX.meta); errors about the graph name it.
	GraphFile string
	// VariablesPrefix is the checkpoint prefix (dir/variables/variables or
	// PREFIX); "" when a SavedModel has no variables/variables.index.
	VariablesPrefix string
	// MetaGraph is the meta graph selected by the tags.
	MetaGraph *tfpb.MetaGraphDef
	// TagSets lists the tag set of every meta graph (a checkpoint's one
	// meta graph has none).
	TagSets [][]string
}

// Open reads the model at path (see Detect) and selects the meta graph
// whose tag set equals tags (as sets). With tags empty it takes the one
// tagged "serve", or the only meta graph there is.
func Open(path string, tags []string) (*Model, error) {
	switch Detect(path) {
	case SavedModelDir:
		return openSavedModel(path, tags)
	case Checkpoint:
		return openCheckpoint(path, tags)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fileErr(path, err)
	}
	return nil, fmt.Errorf("%s: not a SavedModel directory (no saved_model.pb) or a checkpoint (PREFIX.meta)", path)
}

func fileErr(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("%s: %w", path, err)
}

func openSavedModel(path string, tags []string) (*Model, error) {
	dir := path
	if st, err := os.Stat(path); err != nil || !st.IsDir() {
		dir = filepath.Dir(path)
	}
	file := filepath.Join(dir, "saved_model.pb")
	text := false
	if !fileExists(file) {
		file, text = filepath.Join(dir, "saved_model.pbtxt"), true
	}
	if b := filepath.Base(path); b == "saved_model.pb" || b == "saved_model.pbtxt" {
		file, text = path, b == "saved_model.pbtxt"
	}
	data, err := safeio.ReadFile(file, safeio.MaxProtoBytes)
	if err != nil {
		return nil, err
	}
	sm := new(tfpb.SavedModel)
	if err := unmarshal(data, text, sm); err != nil {
		return nil, fmt.Errorf("%s: not a SavedModel (%v)", file, err)
	}
	if len(sm.GetMetaGraphs()) == 0 {
		return nil, fmt.Errorf("%s: the SavedModel has no meta graphs", file)
	}
	m := &Model{Kind: SavedModelDir, GraphFile: file}
	for _, mg := range sm.GetMetaGraphs() {
		m.TagSets = append(m.TagSets, mg.GetMetaInfoDef().GetTags())
	}
	i, err := selectTags(m.TagSets, tags)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	m.MetaGraph = sm.GetMetaGraphs()[i]
	prefix := filepath.Join(dir, "variables", "variables")
	if fileExists(bundle.IndexFile(prefix)) {
		m.VariablesPrefix = prefix
	}
	return m, nil
}

func openCheckpoint(path string, tags []string) (*Model, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		p, err := latestCheckpoint(path)
		if err != nil {
			return nil, err
		}
		path = p
	}
	prefix := strings.TrimSuffix(strings.TrimSuffix(path, ".meta"), ".index")
	file := prefix + ".meta"
	data, err := safeio.ReadFile(file, safeio.MaxProtoBytes)
	if err != nil {
		return nil, err
	}
	mg := new(tfpb.MetaGraphDef)
	if err := unmarshal(data, false, mg); err != nil {
		return nil, fmt.Errorf("%s: not a MetaGraphDef (%v)", file, err)
	}
	m := &Model{Kind: Checkpoint, GraphFile: file, VariablesPrefix: prefix, MetaGraph: mg,
		TagSets: [][]string{mg.GetMetaInfoDef().GetTags()}}
	if len(tags) > 0 && !sameSet(tags, m.TagSets[0]) {
		return nil, fmt.Errorf("%s: the meta graph has tags %s, not %s", file, tagString(m.TagSets[0]), tagString(tags))
	}
	if !fileExists(bundle.IndexFile(prefix)) {
		return nil, fmt.Errorf("%s: missing (the checkpoint of %s)", bundle.IndexFile(prefix), file)
	}
	return m, nil
}

// maxStateBytes bounds a Saver's checkpoint state file (a few lines).
const maxStateBytes = 1 << 20

// latestCheckpoint reads the prefix a Saver's state file (dir/checkpoint,
// a CheckpointState in text format) names as model_checkpoint_path.
func latestCheckpoint(dir string) (string, error) {
	state := filepath.Join(dir, "checkpoint")
	data, err := safeio.ReadFile(state, maxStateBytes)
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(data), "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "model_checkpoint_path:")
		if !ok {
			continue
		}
		p, err := strconv.Unquote(strings.TrimSpace(rest))
		if err != nil || p == "" {
			return "", fmt.Errorf("%s: bad model_checkpoint_path %s", state, strings.TrimSpace(rest))
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		return p, nil
	}
	return "", fmt.Errorf("%s: no model_checkpoint_path", state)
}

// unmarshal decodes binary (or, failing that or when text is set, text)
// protobuf data, keeping unknown fields.
func unmarshal(data []byte, text bool, m proto.Message) error {
	if len(data) == 0 {
		return errors.New("empty file")
	}
	if !text {
		err := proto.UnmarshalOptions{}.Unmarshal(data, m)
		if err == nil {
			return nil
		}
		if !utf8.Valid(data) {
			return errors.New(oneLine(err.Error()))
		}
	}
	if err := (prototext.UnmarshalOptions{}).Unmarshal(data, m); err != nil {
		return errors.New(oneLine(err.Error()))
	}
	return nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

// selectTags picks the meta graph whose tag set equals want; with want
// empty, the one tagged exactly "serve", else the only one.
func selectTags(sets [][]string, want []string) (int, error) {
	if len(want) == 0 {
		for i, s := range sets {
			if sameSet(s, []string{DefaultTag}) {
				return i, nil
			}
		}
		if len(sets) == 1 {
			return 0, nil
		}
		return -1, fmt.Errorf("no meta graph tagged %q; give the tags (available tag sets: %s)", DefaultTag, tagSetsString(sets))
	}
	for i, s := range sets {
		if sameSet(s, want) {
			return i, nil
		}
	}
	return -1, fmt.Errorf("no meta graph tagged %s (available tag sets: %s)", tagString(want), tagSetsString(sets))
}

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

func tagString(tags []string) string {
	if len(tags) == 0 {
		return "(no tags)"
	}
	t := slices.Clone(tags)
	slices.Sort(t)
	return strconv.Quote(strings.Join(t, ","))
}

func tagSetsString(sets [][]string) string {
	var s []string
	for _, t := range sets {
		s = append(s, tagString(t))
	}
	return strings.Join(s, ", ")
}

// Signatures lists the meta graph's signature keys, sorted (TF2's
// __saved_model_init_op pseudo-signature excluded).
func (m *Model) Signatures() []string {
	var keys []string
	for k := range m.MetaGraph.GetSignatureDef() {
		if k != initOpSignature {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// Signature returns the signature named key. With key empty it returns
// serving_default, or the only signature; a checkpoint without signatures
// gives (nil, "", nil).
func (m *Model) Signature(key string) (*tfpb.SignatureDef, string, error) {
	keys := m.Signatures()
	if key == "" {
		if len(keys) == 0 {
			return nil, "", nil
		}
		key = DefaultSignature
		if _, ok := m.MetaGraph.GetSignatureDef()[key]; !ok && len(keys) == 1 {
			key = keys[0]
		}
	}
	sig, ok := m.MetaGraph.GetSignatureDef()[key]
	if !ok || key == initOpSignature {
		avail := "none"
		if len(keys) > 0 {
			q := make([]string, len(keys))
			for i, k := range keys {
				q[i] = strconv.Quote(k)
			}
			avail = strings.Join(q, ", ")
		}
		return nil, "", fmt.Errorf("%s: no signature %q (available: %s)", m.GraphFile, key, avail)
	}
	return sig, key, nil
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
