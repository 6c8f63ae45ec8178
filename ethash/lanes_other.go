//go:build !amd64 || purego

package ethash

func laneKernels() []laneKernel { return genericLaneKernels() }

const hasKeccakX8 = false

// Never called here: hasKeccakX8 and hasAVX2 are false.
func keccakF1600x8(*keccakLanes)      {}
func keccakF1600x4AVX2(*keccakLanes4) {}
