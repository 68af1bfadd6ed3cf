package tf

import "testing"

// The scatter family is checked against TensorFlow by the generated cases
// (testdata/gen/cases_scatter.py); these tests cover the refusals.

func TestScatterRefusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		build func(b *tgraph) string
		want  []string
	}{
		{"update_runtime_indices", func(b *tgraph) string {
			b.input("x", dtF32, 4)
			b.input("i", dtI32, 2, 1)
			b.input("u", dtF32, 2)
			return b.node("s", "TensorScatterUpdate", []string{"x", "i", "u"}, "T", atype(dtF32), "Tindices", atype(dtI32))
		}, []string{`node "s" (TensorScatterUpdate)`, "indices must be constants", "IScatterLayer"}},
		{"max_out_of_range", func(b *tgraph) string {
			b.input("x", dtF32, 4)
			b.consti("i", []int{2, 1}, 1, 4)
			b.input("u", dtF32, 2)
			return b.node("s", "TensorScatterMax", []string{"x", "i", "u"}, "T", atype(dtF32), "Tindices", atype(dtI32))
		}, []string{`node "s" (TensorScatterMax)`, "indices[1] = [4] does not index into shape [4]"}},
		{"partition_runtime", func(b *tgraph) string {
			b.input("x", dtF32, 4)
			b.input("p", dtI32, 4)
			return b.node("s", "DynamicPartition", []string{"x", "p"}, "T", atype(dtF32), "num_partitions", aint(2))
		}, []string{`node "s" (DynamicPartition)`, "partitions must be constants", "static shapes"}},
		{"partition_range", func(b *tgraph) string {
			b.input("x", dtF32, 3)
			b.consti("p", nil, 0, 2, 1)
			return b.node("s", "DynamicPartition", []string{"x", "p"}, "T", atype(dtF32), "num_partitions", aint(2))
		}, []string{"partitions[1] = 2 is not in [0, 2)"}},
		{"stitch_runtime", func(b *tgraph) string {
			b.input("i", dtI32, 2)
			b.input("x", dtF32, 2)
			return b.node("s", "DynamicStitch", []string{"i", "x"}, "T", atype(dtF32), "N", aint(1))
		}, []string{`node "s" (DynamicStitch)`, "indices must be constants"}},
		{"sparse_to_dense_repeat_validated", func(b *tgraph) string {
			b.consti("i", nil, 2, 0)
			b.consti("shape", nil, 4)
			b.input("v", dtF32, 2)
			b.constf("d", []int{}, 0)
			return b.node("s", "SparseToDense", []string{"i", "shape", "v", "d"}, "T", atype(dtF32), "Tindices", atype(dtI32))
		}, []string{`node "s" (SparseToDense)`, "indices[1] = [0] is repeated or out of order (validate_indices)"}},
		{"sparse_to_dense_runtime_unvalidated", func(b *tgraph) string {
			b.input("i", dtI32, 2)
			b.consti("shape", nil, 4)
			b.input("v", dtF32, 2)
			b.constf("d", []int{}, 0)
			return b.node("s", "SparseToDense", []string{"i", "shape", "v", "d"}, "T", atype(dtF32), "Tindices", atype(dtI32),
				"validate_indices", abool(false))
		}, []string{"sparse_indices must be constants with validate_indices=false"}},
		{"not_a_permutation", func(b *tgraph) string {
			b.consti("p", nil, 0, 2, 2)
			return b.node("s", "InvertPermutation", []string{"p"}, "T", atype(dtI32))
		}, []string{"not a permutation of [0, 3): 2 at position 2"}},
		{"diag_bad_rows", func(b *tgraph) string {
			b.input("x", dtF32, 3)
			b.consti("k", nil, 0)
			b.consti("r", nil, 2)
			b.consti("c", nil, -1)
			b.constf("p", nil, 0)
			return b.node("s", "MatrixDiagV3", []string{"x", "k", "r", "c", "p"}, "T", atype(dtF32), "align", astr("RIGHT_LEFT"))
		}, []string{`node "s" (MatrixDiagV3)`, "num_rows 2 and num_cols 3 do not fit"}},
		{"diag_part_bad_k", func(b *tgraph) string {
			b.input("x", dtF32, 3, 4)
			b.consti("k", nil, 1, 4)
			b.constf("p", nil, 0)
			return b.node("s", "MatrixDiagPartV3", []string{"x", "k", "p"}, "T", atype(dtF32), "align", astr("LEFT_UP"))
		}, []string{`align "LEFT_UP"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newTGraph(t)
			out := tc.build(b)
			_, err := b.importGraph(out)
			wantErr(t, err, tc.want...)
		})
	}
}
