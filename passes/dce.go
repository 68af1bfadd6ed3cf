package passes

import "github.com/tfc-dev/tfc/ir"

// dce removes the ops no output depends on; inputs stay.
func dce(f *ir.Func, _ *Config) (bool, error) { return f.RemoveDead() > 0, nil }
