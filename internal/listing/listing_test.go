package listing

import "testing"

func TestGroup(t *testing.T) {
	for _, c := range []struct {
		names []string
		want  string
	}{
		{[]string{"a"}, `Op (1 node: "a")`},
		{[]string{"a", "b", "c"}, `Op (3 nodes: "a", "b", "c")`},
		{[]string{"a", "b", "c", "d", "e"}, `Op (5 nodes: "a", "b", "c", ... (2 more))`},
	} {
		if got := Group("Op", c.names, "node"); got != c.want {
			t.Errorf("Group(%q) = %s, want %s", c.names, got, c.want)
		}
	}
	if got := Count(0, "op"); got != "0 ops" {
		t.Errorf("Count(0) = %s", got)
	}
}
