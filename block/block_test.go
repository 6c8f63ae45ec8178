package block

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
)

type realBlock struct {
	Name          string `json:"name"`
	Height        uint32 `json:"height"`
	Raw           string `json:"raw"`
	Hash          string `json:"hash"`
	SealHash      string `json:"seal_hash"`
	Bits          string `json:"bits"`
	CoinbaseValue uint64 `json:"coinbase_value"`
}

func loadRealBlocks(t testing.TB) []realBlock {
	t.Helper()
	b, err := os.ReadFile("testdata/real-blocks.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ Blocks []realBlock }
	if err := json.Unmarshal(b, &v); err != nil || len(v.Blocks) == 0 {
		t.Fatalf("real-blocks.json: %v", err)
	}
	return v.Blocks
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRealBlocks(t *testing.T) {
	for _, v := range loadRealBlocks(t) {
		t.Run(v.Name, func(t *testing.T) {
			raw := mustHex(t, v.Raw)
			blk, err := Decode(raw)
			if err != nil {
				t.Fatal(err)
			}
			if got := blk.Bytes(); !bytes.Equal(got, raw) || blk.SerializeSize() != len(raw) {
				t.Fatalf("re-encoding differs")
			}
			if got := blk.Hash().String(); got != v.Hash {
				t.Fatalf("hash %s, want %s", got, v.Hash)
			}
			if blk.Header.Height != v.Height {
				t.Fatalf("height %d", blk.Header.Height)
			}
			if got := blk.Transactions[0].Outputs[0].Value; uint64(got) != v.CoinbaseValue {
				t.Fatalf("coinbase value %d, want %d", got, v.CoinbaseValue)
			}
			if v.SealHash != "" {
				sh := blk.Header.SealHash()
				if hex.EncodeToString(sh[:]) != v.SealHash {
					t.Fatalf("seal hash %x, want %s", sh, v.SealHash)
				}
			}
			if v.Bits != "" && blk.Header.Bits.String() != v.Bits {
				t.Fatalf("bits %s, want %s", blk.Header.Bits, v.Bits)
			}
			if err := blk.CheckSanity(); err != nil {
				t.Fatalf("CheckSanity: %v", err)
			}
		})
	}
}

// TestPoSSignatureLayout: the real PoS signature verifies as r‖s little-endian over the
// internal-order hash, and fails in the other layouts the spec rules out.
func TestPoSSignatureLayout(t *testing.T) {
	blk, err := Decode(mustHex(t, loadRealBlocks(t)[1].Raw))
	if err != nil {
		t.Fatal(err)
	}
	key, err := blk.SigningKey()
	if err != nil {
		t.Fatal(err)
	}
	pub, err := btcec.ParsePubKey(key)
	if err != nil {
		t.Fatal(err)
	}
	h := blk.Hash()
	if !VerifyBlockSignature(blk.Signature, h, pub) {
		t.Fatal("real PoS signature does not verify")
	}
	var be [64]byte
	for i := 0; i < 32; i++ {
		be[i], be[32+i] = blk.Signature[31-i], blk.Signature[63-i]
	}
	var rev mvs.Hash
	for i := range h {
		rev[i] = h[31-i]
	}
	if VerifyBlockSignature(be, h, pub) || VerifyBlockSignature(blk.Signature, rev, pub) {
		t.Fatal("a wrong layout verified")
	}
	blk.Signature[5] ^= 1
	if err := blk.CheckSanity(); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("flipped signature: %v", err)
	}
}

func TestSignBlockRoundTrip(t *testing.T) {
	blk, err := Decode(mustHex(t, loadRealBlocks(t)[1].Raw))
	if err != nil {
		t.Fatal(err)
	}
	priv, _ := btcec.NewPrivateKey()
	blk.Header.Version = VersionDPoS
	if err := blk.SignBlock(priv); err != nil {
		t.Fatal(err)
	}
	again, err := Decode(blk.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if c := again.Check(); c.Signature != nil {
		t.Fatalf("DPoS signature: %v", c.Signature)
	}
}

func TestGenesisBlocks(t *testing.T) {
	b, err := os.ReadFile("testdata/mvs-chain.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Genesis map[string]struct{ Raw, Hash string }
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*mvs.Params{mvs.MainNet(), mvs.TestNet(), mvs.RegTest()} {
		t.Run(p.Name, func(t *testing.T) {
			blk, err := Genesis(p)
			if err != nil {
				t.Fatal(err)
			}
			if blk.Hash() != p.GenesisHash || p.Checkpoints[0].Hash != p.GenesisHash {
				t.Fatalf("genesis hash %s, params %s, checkpoint %s", blk.Hash(), p.GenesisHash, p.Checkpoints[0].Hash)
			}
			if err := blk.CheckSanity(); err != nil {
				t.Fatal(err)
			}
			if want, ok := v.Genesis[p.Name]; ok {
				if !bytes.Equal(p.GenesisBlock, mustHex(t, want.Raw)) || blk.Hash().String() != want.Hash {
					t.Fatalf("genesis differs from the real chain's")
				}
			}
		})
	}
}

func TestMerkleRoot(t *testing.T) {
	h := func(b byte) mvs.Hash { return mvs.Hash{b} }
	pair := func(a, b mvs.Hash) mvs.Hash { return mvs.DoubleSHA256(append(a[:], b[:]...)) }
	tests := []struct {
		in   []mvs.Hash
		want mvs.Hash
	}{
		{nil, mvs.Hash{}},
		{[]mvs.Hash{h(1)}, h(1)},
		{[]mvs.Hash{h(1), h(2)}, pair(h(1), h(2))},
		{[]mvs.Hash{h(1), h(2), h(3)}, pair(pair(h(1), h(2)), pair(h(3), h(3)))},
	}
	for i, tc := range tests {
		if got := MerkleRoot(tc.in); got != tc.want {
			t.Errorf("case %d: %s", i, got)
		}
	}
}

func TestDecodeTruncations(t *testing.T) {
	for _, v := range loadRealBlocks(t) {
		raw := mustHex(t, v.Raw)
		for n := 0; n < len(raw); n++ {
			_, err := Decode(raw[:n])
			var de *DecodeError
			if !errors.As(err, &de) || (!errors.Is(err, ErrTruncated) && !errors.Is(err, ErrTooLarge)) {
				t.Fatalf("%s[:%d]: %v", v.Name, n, err)
			}
			// Offsets count from the block's first byte, also inside its transactions.
			if de.Offset > n || (n > HeaderSize && de.Offset < HeaderSize) {
				t.Fatalf("%s[:%d]: offset %d of %q is not within the block's bytes", v.Name, n, de.Offset, de.Field)
			}
		}
	}
}
