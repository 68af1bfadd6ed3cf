package passes

import "github.com/tfc-dev/tfc/ir"

func init() {
	register(Pass{
		Name:    "dce",
		Summary: "remove ops no output depends on (inputs are kept)",
		Exact:   true,
		Run: func(f *ir.Func, _ *Config) (bool, error) {
			return f.RemoveDead() > 0, nil
		},
	})
}
