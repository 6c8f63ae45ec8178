package ethash

import (
	"crypto/subtle"
	"encoding/binary"
	"hash"
	"math/big"
	"math/bits"
	"unsafe"

	"golang.org/x/crypto/sha3"
)

const (
	EpochLength        = 30000
	cacheInitBytes     = 1 << 24
	cacheGrowthBytes   = 1 << 17
	datasetInitBytes   = 1 << 30
	datasetGrowthBytes = 1 << 23
	hashBytes          = 64
	hashWords          = 16
	mixBytes           = 128
	mixWords           = 32
	datasetParents     = 256
	cacheRounds        = 3
	loopAccesses       = 64
)

func isPrime(n uint64) bool { return new(big.Int).SetUint64(n).ProbablyPrime(1) }

// CacheSize is the standard prime search.
func CacheSize(epoch uint64) uint64 {
	sz := cacheInitBytes + cacheGrowthBytes*epoch - hashBytes
	for !isPrime(sz / hashBytes) {
		sz -= 2 * hashBytes
	}
	return sz
}

func DatasetSize(epoch uint64) uint64 {
	sz := datasetInitBytes + datasetGrowthBytes*epoch - mixBytes
	for !isPrime(sz / mixBytes) {
		sz -= 2 * mixBytes
	}
	return sz
}

type keccak interface {
	hash.Hash
	Read([]byte) (int, error)
}

func newKeccak512() keccak { return sha3.NewLegacyKeccak512().(keccak) }
func newKeccak256() keccak { return sha3.NewLegacyKeccak256().(keccak) }

func SeedHash(epoch uint64) (seed [32]byte) {
	forEachSeed(epoch+1, func(s [32]byte) { seed = s })
	return seed
}

// forEachSeed calls each with the seeds of epochs 0 … n−1 in turn: each is the Keccak-256
// of the one before, so a walk over many epochs costs one hash an epoch.
func forEachSeed(n uint64, each func(seed [32]byte)) {
	var seed [32]byte
	h := newKeccak256()
	for e := uint64(0); e < n; e++ {
		each(seed)
		if e+1 < n {
			h.Reset()
			h.Write(seed[:])
			h.Read(seed[:])
		}
	}
}

// GenerateCache fills cache (cache-size/4 words) from the epoch's seed: a chain of
// Keccak-512 hashes, then cacheRounds passes of RandMemoHash. On little-endian hosts it works
// in place on the words' bytes, so a mapped file is filled with no second buffer.
func GenerateCache(cache []uint32, seed []byte) {
	n := len(cache) / hashWords
	if n == 0 {
		return
	}
	var buf []byte
	if littleEndian() {
		buf = unsafe.Slice((*byte)(unsafe.Pointer(&cache[0])), len(cache)*4)
	} else {
		buf = make([]byte, len(cache)*4)
	}
	h := newKeccak512()
	h.Write(seed)
	h.Read(buf[:hashBytes])
	for i := 1; i < n; i++ {
		h.Reset()
		h.Write(buf[(i-1)*hashBytes : i*hashBytes])
		h.Read(buf[i*hashBytes : (i+1)*hashBytes])
	}
	var tmp [hashBytes]byte
	for r := 0; r < cacheRounds; r++ {
		for i := 0; i < n; i++ {
			src := buf[((i-1+n)%n)*hashBytes:][:hashBytes]
			v := int(binary.LittleEndian.Uint32(buf[i*hashBytes:]) % uint32(n))
			other := buf[v*hashBytes:][:hashBytes]
			// The next item's random partner is already known (its index is read from an
			// item not yet rewritten in this round): start loading it now, so the miss
			// overlaps this item's Keccak instead of stalling the next XOR (about a quarter
			// of the generation time otherwise).
			next := (i + 1) % n
			prefetch(&buf[int(binary.LittleEndian.Uint32(buf[next*hashBytes:])%uint32(n))*hashBytes])
			subtle.XORBytes(tmp[:], src, other)
			h.Reset()
			h.Write(tmp[:])
			h.Read(buf[i*hashBytes : (i+1)*hashBytes])
		}
	}
	if !littleEndian() {
		for i := range cache {
			cache[i] = binary.LittleEndian.Uint32(buf[i*4:])
		}
	}
}

// littleEndian reports the host byte order; Ethash's words are little-endian on disk and in
// the algorithm's byte views.
func littleEndian() bool { return binary.NativeEndian.Uint16([]byte{1, 0}) == 1 }

func fnv(a, b uint32) uint32 { return a*0x01000193 ^ b }

// itemHasher computes dataset items from a cache without allocating.
type itemHasher struct {
	h   keccak
	buf [hashBytes]byte
}

func (ih *itemHasher) item(cache []uint32, index uint32, out []uint32) {
	n := uint32(len(cache) / hashWords)
	var mix [hashWords]uint32
	copy(mix[:], cache[(index%n)*hashWords:])
	mix[0] ^= index
	ih.keccak(&mix)
	for j := uint32(0); j < datasetParents; j++ {
		p := fnv(index^j, mix[j%hashWords]) % n
		row := cache[p*hashWords : p*hashWords+hashWords]
		for k := range mix {
			mix[k] = fnv(mix[k], row[k])
		}
	}
	ih.keccak(&mix)
	copy(out, mix[:])
}

func (ih *itemHasher) keccak(mix *[hashWords]uint32) {
	for k, w := range mix {
		binary.LittleEndian.PutUint32(ih.buf[k*4:], w)
	}
	ih.h.Reset()
	ih.h.Write(ih.buf[:])
	ih.h.Read(ih.buf[:])
	for k := range mix {
		mix[k] = binary.LittleEndian.Uint32(ih.buf[k*4:])
	}
}

// Hasher holds the Keccak states one goroutine needs to run hashimoto without allocating.
// It is not safe for concurrent use; a Verifier keeps a pool of them.
type Hasher struct {
	item   itemHasher
	k256   keccak
	seed   [64]byte
	seedIn [40]byte
	out    [64]byte // mix digest then result: buffers handed to Keccak live here, not on
	// the stack, because a slice passed through an interface method escapes
}

// NewHasher returns a Hasher.
func NewHasher() *Hasher { return &Hasher{item: itemHasher{h: newKeccak512()}, k256: newKeccak256()} }

// Light runs hashimoto with dataset items computed from the cache (verification).
func (h *Hasher) Light(datasetSize uint64, cache []uint32, headerHash [32]byte, nonce uint64) (mix, result [32]byte) {
	return h.hashimoto(headerHash, nonce, datasetSize, cache, nil)
}

// Full runs hashimoto with items read from the dataset (pools, mining).
func (h *Hasher) Full(dataset []uint32, headerHash [32]byte, nonce uint64) (mix, result [32]byte) {
	return h.hashimoto(headerHash, nonce, uint64(len(dataset))*4, nil, dataset)
}

func (h *Hasher) hashimoto(header [32]byte, nonce uint64, size uint64, cache, dataset []uint32) (mix, result [32]byte) {
	rows := uint32(size / mixBytes)
	mod := newFastMod(rows)
	copy(h.seedIn[:], header[:])
	binary.LittleEndian.PutUint64(h.seedIn[32:], nonce)
	k := h.item.h
	k.Reset()
	k.Write(h.seedIn[:])
	k.Read(h.seed[:])
	seedHead := binary.LittleEndian.Uint32(h.seed[:])
	var m [mixWords]uint32
	for i := range m {
		m[i] = binary.LittleEndian.Uint32(h.seed[(i%hashWords)*4:])
	}
	var page [mixWords]uint32
	for i := uint32(0); i < loopAccesses; i++ {
		parent := mod.mod(fnv(i^seedHead, m[i%mixWords]))
		if dataset != nil {
			page = *datasetPage(dataset, parent)
		} else {
			h.item.pair(cache, parent, &page)
		}
		for k := range m {
			m[k] = m[k]*0x01000193 ^ page[k]
		}
	}
	for i := 0; i < mixWords; i += 4 {
		m[i/4] = fnv(fnv(fnv(m[i], m[i+1]), m[i+2]), m[i+3])
	}
	for i := 0; i < 8; i++ {
		binary.LittleEndian.PutUint32(h.out[i*4:], m[i])
	}
	h.k256.Reset()
	h.k256.Write(h.seed[:])
	h.k256.Write(h.out[:32])
	h.k256.Read(h.out[32:])
	return [32]byte(h.out[:32]), [32]byte(h.out[32:])
}

// pair computes dataset items 2p and 2p+1 (one 128-byte page) together: the two
// 256-step parent chains are independent, so interleaving them keeps two cache misses in
// flight instead of one (the trick of chfast/ethash).
func (ih *itemHasher) pair(cache []uint32, p uint32, out *[mixWords]uint32) {
	n := uint32(len(cache) / hashWords)
	mod := newFastMod(n)
	i0, i1 := 2*p, 2*p+1
	a := *(*[hashWords]uint32)(cache[mod.mod(i0)*hashWords:])
	b := *(*[hashWords]uint32)(cache[mod.mod(i1)*hashWords:])
	a[0] ^= i0
	b[0] ^= i1
	ih.keccak(&a)
	ih.keccak(&b)
	pairParents(cache, mod, i0, &a, &b)
	ih.keccak(&a)
	ih.keccak(&b)
	copy(out[:hashWords], a[:])
	copy(out[hashWords:], b[:])
}

// pairParentsGeneric runs the parent steps of items i0 and i0+1 on their mixes a and b,
// interleaved. pairParents uses it where there is no faster kernel.
func pairParentsGeneric(cache []uint32, mod fastMod, i0 uint32, a, b *[hashWords]uint32) {
	i1 := i0 + 1
	for j := uint32(0); j < datasetParents; j++ {
		pa := mod.mod(fnv(i0^j, a[j&(hashWords-1)]))
		pb := mod.mod(fnv(i1^j, b[j&(hashWords-1)]))
		ra := (*[hashWords]uint32)(cache[pa*hashWords:])
		rb := (*[hashWords]uint32)(cache[pb*hashWords:])
		for k := 0; k < hashWords; k++ {
			a[k] = a[k]*0x01000193 ^ ra[k]
			b[k] = b[k]*0x01000193 ^ rb[k]
		}
	}
}

// datasetPage returns page p of a dataset. The index is 64-bit: from epoch 1921 a dataset
// has more than 2^27 pages, and p·32 would wrap in 32 bits.
func datasetPage(dataset []uint32, p uint32) *[mixWords]uint32 {
	return (*[mixWords]uint32)(dataset[uint64(p)*mixWords:])
}

// fastMod computes x % n for a fixed 32-bit n with a multiply instead of a division
// (Lemire, "Faster remainder by direct computation", 2019): exact for all 32-bit x and n.
type fastMod struct {
	n uint32
	m uint64
}

func newFastMod(n uint32) fastMod { return fastMod{n: n, m: ^uint64(0)/uint64(n) + 1} }

func (f fastMod) mod(x uint32) uint32 {
	low := f.m * uint64(x)
	hi, _ := bits.Mul64(low, uint64(f.n))
	return uint32(hi)
}

// HashimotoLight is Hasher.Light with a fresh Hasher (convenient, allocates).
func HashimotoLight(size uint64, cache []uint32, header []byte, nonce uint64) ([32]byte, [32]byte) {
	return NewHasher().Light(size, cache, [32]byte(header), nonce)
}

// HashimotoFull is Hasher.Full with a fresh Hasher (convenient, allocates).
func HashimotoFull(dataset []uint32, header []byte, nonce uint64) ([32]byte, [32]byte) {
	return NewHasher().Full(dataset, [32]byte(header), nonce)
}

func GenerateDataset(dataset, cache []uint32) {
	ih := &itemHasher{h: newKeccak512()}
	for i := 0; i < len(dataset)/hashWords; i++ {
		ih.item(cache, uint32(i), dataset[i*hashWords:(i+1)*hashWords])
	}
}
