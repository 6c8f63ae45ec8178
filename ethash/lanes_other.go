//go:build !amd64 || purego

package ethash

func laneKernels() []laneKernel { return genericLaneKernels() }
