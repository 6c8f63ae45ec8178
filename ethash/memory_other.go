//go:build !linux

package ethash

// region is heap memory where the system offers no huge-page hint through this package.
type region struct{}

func allocWords(n int) ([]uint32, *region, error) { return make([]uint32, n), &region{}, nil }

func (r *region) free() error { return nil }
