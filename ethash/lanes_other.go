//go:build !amd64 || purego

package ethash

func laneKernels() []laneKernel { return genericLaneKernels() }

const hasKeccakX8 = false

func keccakF1600x8(*keccakLanes) {} // never called: hasKeccakX8 is false
