// Package cethash times light verification by chfast/ethash, the C++ reference for speed,
// and by our ethash package in the same process, one call of each in turn, so that both
// see the same noise on a shared machine. BenchmarkVerifyBatch sets the C++ library's
// single-hash rate against ours and against Verifier.VerifyBatch (run it with -cpu 1 for
// the rate per core). It is its own module, needs cgo and a built
// chfast/ethash, and runs only with the cethash build tag; BENCHMARKS.md says how the
// library was built (nothing of it is committed):
//
//	CGO_CFLAGS=-I$LIB/include CGO_CXXFLAGS=-I$LIB/include CGO_LDFLAGS="-L$LIB/build -lcethash -lstdc++ -lm" \
//	    go test -tags cethash -run XXX -bench . -count 3
package cethash
