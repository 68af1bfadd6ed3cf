// Package listing writes the lists in tfc's reports of unsupported ops
// (frontend/tf's and backend/lower's), one way for both.
package listing

import (
	"fmt"
	"strconv"
	"strings"
)

// Count returns "1 noun" or "n nouns".
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// MaxNames is how many names Group shows before "... (k more)".
const MaxNames = 3

// Group describes one group of a report: `what (3 nouns: "a", "b", "c")`,
// quoting at most MaxNames names and counting the others
// (`"a", "b", "c", ... (2 more)`).
func Group(what string, names []string, noun string) string {
	shown, more := names, ""
	if len(shown) > MaxNames {
		shown, more = shown[:MaxNames], fmt.Sprintf(", ... (%d more)", len(names)-MaxNames)
	}
	q := make([]string, len(shown))
	for i, s := range shown {
		q[i] = strconv.Quote(s)
	}
	return fmt.Sprintf("%s (%s: %s%s)", what, Count(len(names), noun), strings.Join(q, ", "), more)
}
