//go:build !unix

package safeio

import "os"

func mapFile(*os.File, int64) ([]byte, bool) { return nil, false }

func unmap([]byte) error { return nil }
