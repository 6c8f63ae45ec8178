package ethash

import (
	"context"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"
)

// The batch hashimoto gives Hasher.Light's mix and result through every kernel this CPU
// runs (the AVX-512 and AVX2 widths and the pure-Go loop: the assembly is checked against
// the Go path here, and under -tags purego only the Go kernels exist), for every lane count
// up to the widest, and with full pages it gives Hasher.Full's.
func TestBatchStateMatchesHasher(t *testing.T) {
	c, err := LoadCache("", 3, SmallSizes, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	d, err := LoadDataset(context.Background(), "", c, 1, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rng := rand.New(rand.NewPCG(9, 10))
	h := NewHasher()
	st := newBatchState()
	check := func(what string, n int, full bool) {
		for l := 0; l < n; l++ {
			var m, r [32]byte
			if full {
				m, r = h.Full(d.words, st.header[l], st.nonce[l])
			} else {
				m, r = h.Light(c.DatasetSize, c.words, st.header[l], st.nonce[l])
			}
			if st.mix[l] != m || st.result[l] != r {
				t.Fatalf("%s, %d lanes: lane %d differs from the single hash", what, n, l)
			}
		}
	}
	fill := func(n int) {
		for l := 0; l < n; l++ {
			for k := range st.header[l] {
				st.header[l][k] = byte(rng.Uint32())
			}
			st.nonce[l] = rng.Uint64()
		}
	}
	for _, k := range laneKernels() {
		for n := 1; n <= k.items/2; n++ {
			fill(n)
			st.light(c, k, n)
			check(k.name, n, false)
		}
	}
	for n := 1; n <= maxLanes; n++ {
		fill(n)
		st.full(d.words, n)
		check("full", n, true)
	}
}

// withinBoundary must agree with the big.Int boundary on every edge: difficulties 1, at
// and past 2^256, powers of two, results at the boundary and one above.
func TestWithinBoundaryMatchesBoundary(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	one := big.NewInt(1)
	pow := func(n uint) *big.Int { return new(big.Int).Lsh(one, n) }
	diffs := []*big.Int{nil, big.NewInt(0), big.NewInt(-3), one, big.NewInt(2), big.NewInt(3), big.NewInt(1000),
		pow(64), new(big.Int).Sub(pow(64), one), pow(128), pow(255), new(big.Int).Sub(pow(256), one), pow(256), pow(300)}
	for i := 0; i < 200; i++ {
		diffs = append(diffs, new(big.Int).Rsh(new(big.Int).SetUint64(rng.Uint64()), uint(rng.IntN(64))),
			new(big.Int).Rsh(new(big.Int).SetBytes(randBytes(rng, 32)), uint(rng.IntN(256))))
	}
	for _, d := range diffs {
		b := Boundary(d)
		results := []*big.Int{new(big.Int), b, new(big.Int).Add(b, one), new(big.Int).SetBytes(randBytes(rng, 32))}
		if b.Sign() > 0 {
			results = append(results, new(big.Int).Sub(b, one))
		}
		for _, r := range results {
			if r.BitLen() > 256 {
				continue
			}
			var rb [32]byte
			r.FillBytes(rb[:])
			if got, want := withinBoundary(rb, d), r.Cmp(b) <= 0; got != want {
				t.Fatalf("difficulty %v, result %x: withinBoundary %v, boundary says %v", d, rb, got, want)
			}
		}
	}
}

func randBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// In Full mode, once the DAG is ready, a batch takes its pages from it and still equals
// Verify; a DAG that disagrees with its cache is caught by the first rejection's re-check,
// dropped, and the rest of the batch finishes from the cache.
func TestVerifyBatchFullMode(t *testing.T) {
	v := New(Config{Sizes: SmallSizes, Mode: Full})
	defer v.Close()
	if _, _, err := v.Hash(1, [32]byte{}, 0); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); !v.datasetReady(0); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("DAG not built")
		}
	}
	seals := make([]Seal, 50)
	d := big.NewInt(1)
	for i := range seals {
		seals[i] = Seal{Height: uint64(i), Nonce: uint64(i), Difficulty: d}
		if i%3 != 0 {
			seals[i].MixDigest, _, _ = v.Hash(uint64(i), [32]byte{}, uint64(i))
		}
	}
	errs := make([]error, len(seals))
	if err := v.VerifyBatch(context.Background(), seals, errs); err != nil {
		t.Fatal(err)
	}
	for i, s := range seals {
		want := v.Verify(s.Height, s.SealHash, s.Nonce, s.MixDigest, s.Difficulty)
		if (errs[i] == nil) != (want == nil) || (want != nil && !errors.Is(errs[i], ErrMixMismatch)) {
			t.Fatalf("seal %d: batch %v, Verify %v", i, errs[i], want)
		}
	}
	// Corrupt the DAG in memory: every page now differs from the cache's.
	v.mu.Lock()
	words := v.datasets[0].val.words
	for i := range words {
		words[i] ^= 0x5a5a5a5a
	}
	v.mu.Unlock()
	v.lastRecheck.Store(0)
	for i := range seals {
		m, _, _, _ := v.hash(0, [32]byte{}, uint64(i), false)
		seals[i].MixDigest = m // the cache's: valid seals
	}
	if err := v.VerifyBatch(context.Background(), seals, errs); err != nil {
		t.Fatal(err)
	}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("valid seal %d rejected on a corrupt DAG: %v", i, err)
		}
	}
}
