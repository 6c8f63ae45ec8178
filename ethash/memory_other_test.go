//go:build !linux

package ethash

const hugePage = 64 // only the item alignment is promised off Linux
