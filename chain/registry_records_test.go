package chain

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/tx"
)

var (
	sampleAsset = AssetState{Detail: tx.AssetDetail{Symbol: "FOO.BAR", MaximumSupply: 1e9, Decimals: 8,
		SecondaryIssueThreshold: 51, Issuer: "alice", Address: "tAddr", Description: "d\x00with nul"},
		Volume: 1<<64 - 1, Height: 77, OutPoint: tx.OutPoint{Hash: mvs.Hash{1, 2}, Index: 3}}
	sampleCert = CertState{Symbol: "MST.MINE", Type: tx.CertMining, Owner: "erin", Address: "tE", Status: tx.CertStatusAutoIssue,
		Content: "initial:1,interval:2,base:3", Height: 5, LastHeight: 9, OutPoint: tx.OutPoint{Hash: mvs.Hash{9}, Index: 1}}
	sampleMIT = MITState{Symbol: "MIT", Address: "tM", Content: "c", Status: tx.MITStatusTransfer, Height: 1, LastHeight: 2,
		OutPoint: tx.OutPoint{Hash: mvs.Hash{3}, Index: 0}}
	sampleDID     = did.Binding{Symbol: "alice", Address: "tA", Status: tx.DIDStatusTransfer, Height: 12, OutPoint: tx.OutPoint{Hash: mvs.Hash{4}, Index: 7}}
	sampleHistory = HistoryEntry{Kind: HistoryCert, Name: "FOO", CertType: tx.CertDomain, Height: 3, TxIndex: 2,
		OutPoint: tx.OutPoint{Hash: mvs.Hash{5}, Index: 1}, Status: 2, Symbol: "FOO", Address: "tB", Owner: "bob", Quantity: 0}
)

// TestRecordRoundTrips: every record decodes to what was encoded, and every corruption
// (another version, a cut, a trailing byte) is ErrBadRecord.
func TestRecordRoundTrips(t *testing.T) {
	hk := historyKey(&sampleHistory)
	hold := holderKey("FOO.BAR", "tAddr")
	cases := []struct {
		name   string
		value  []byte
		decode func(v []byte) (any, error)
		want   any
	}{
		{"asset", sampleAsset.Encode(), func(v []byte) (any, error) { return DecodeAssetState(v) }, sampleAsset},
		{"cert", sampleCert.Encode(), func(v []byte) (any, error) { return DecodeCertState(v) }, sampleCert},
		{"mit", sampleMIT.Encode(), func(v []byte) (any, error) { return DecodeMITState(v) }, sampleMIT},
		{"did", encodeDID(&sampleDID), func(v []byte) (any, error) { return DecodeDIDBinding(v) }, sampleDID},
		{"did address", encodeDIDAddress("alice"), func(v []byte) (any, error) { return DecodeDIDAddress(v) }, "alice"},
		{"holder", encodeHolder(1 << 40), func(v []byte) (any, error) { return DecodeHolder(hold, v) },
			Holder{Symbol: "FOO.BAR", Address: "tAddr", Quantity: 1 << 40}},
		{"history", sampleHistory.Encode(), func(v []byte) (any, error) { return DecodeHistoryEntry(hk, v) }, sampleHistory},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.decode(c.value)
			if err != nil || !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %+v %v, want %+v", got, err, c.want)
			}
			other := append([]byte{recordVersion + 1}, c.value[1:]...)
			for name, v := range map[string][]byte{"version": other, "cut": c.value[:len(c.value)-1],
				"trailing": append(bytes.Clone(c.value), 0), "empty": nil} {
				if _, err := c.decode(v); !errors.Is(err, ErrBadRecord) {
					t.Errorf("%s: %v, want ErrBadRecord", name, err)
				}
			}
		})
	}
}

// TestRecordKeys: keys decode back, sort by height within a name, and a prefix never
// reaches another name.
func TestRecordKeys(t *testing.T) {
	sym, typ, err := DecodeCertKey(certKey("A\x00B", tx.CertNaming))
	if err != nil || sym != "A\x00B" || typ != tx.CertNaming {
		t.Fatalf("cert key: %q %#x %v", sym, typ, err)
	}
	for _, k := range [][]byte{nil, {0, 0, 0, 0, 1}, []byte("AB\x01\x00\x00\x00\x03")} {
		if _, _, err := DecodeCertKey(k); !errors.Is(err, ErrBadRecord) {
			t.Errorf("cert key %x: %v", k, err)
		}
	}
	e1, e2 := sampleHistory, sampleHistory
	e2.Height = 256
	if bytes.Compare(historyKey(&e1), historyKey(&e2)) >= 0 {
		t.Fatal("history keys do not sort by height")
	}
	long := sampleHistory
	long.Name = "FOO.BAR" // shares "FOO" but not the prefix
	if bytes.HasPrefix(historyKey(&long), historyPrefix(HistoryCert, "FOO", tx.CertDomain)) {
		t.Fatal("a history prefix reaches another name")
	}
	if bytes.HasPrefix(holderKey("FOO.BAR", "x"), holderPrefix("FOO")) {
		t.Fatal("a holder prefix reaches another symbol")
	}
	for _, k := range [][]byte{nil, {'z', 1, 'a'}, {'d', 5, 'a'}, append(historyPrefix(HistoryDID, "a", 0), 1, 2)} {
		if _, err := DecodeHistoryEntry(k, sampleHistory.Encode()); !errors.Is(err, ErrBadRecord) {
			t.Errorf("history key %x: %v", k, err)
		}
	}
	for _, k := range [][]byte{nil, {0}, {3, 'a', 'b', 'c'}, {0xfd}} {
		if _, err := DecodeHolder(k, encodeHolder(1)); !errors.Is(err, ErrBadRecord) {
			t.Errorf("holder key %x: %v", k, err)
		}
	}
}

// TestSecondaryWitness: the node's reading of a secondary witness symbol.
func TestSecondaryWitness(t *testing.T) {
	for sym, want := range map[string]bool{
		"MVS.WITNESS.1.X": true, "MVS.WITNESS.23.abc": true, "MVS.WITNESS.1a.X": true, "MVS.WITNESS.1..X": true,
		"MVS.WITNESS.1": false, "MVS.WITNESS.24.X": false, "MVS.WITNESS.0.X": false, "MVS.WITNESS.a.X": false,
		"MVS.WITNESS..X": false, "FOO.1.X": false, "MVS.WITNESS.1.": false,
	} {
		if got := secondaryWitness(sym); got != want {
			t.Errorf("%q: %v, want %v", sym, got, want)
		}
	}
}

// The decoders never panic, and what they accept encodes to bytes that decode the same.
func FuzzDecodeAssetState(f *testing.F) {
	f.Add(sampleAsset.Encode())
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := DecodeAssetState(b)
		if err == nil {
			if b2, err := DecodeAssetState(a.Encode()); err != nil || !reflect.DeepEqual(a, b2) {
				t.Fatalf("%+v re-decodes as %+v %v", a, b2, err)
			}
		}
	})
}

func FuzzDecodeCertState(f *testing.F) {
	f.Add(sampleCert.Encode())
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := DecodeCertState(b)
		if err == nil {
			if c2, err := DecodeCertState(c.Encode()); err != nil || c != c2 {
				t.Fatalf("%+v re-decodes as %+v %v", c, c2, err)
			}
		}
	})
}

func FuzzDecodeMITState(f *testing.F) {
	f.Add(sampleMIT.Encode())
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeMITState(b)
		if err == nil {
			if m2, err := DecodeMITState(m.Encode()); err != nil || m != m2 {
				t.Fatalf("%+v re-decodes as %+v %v", m, m2, err)
			}
		}
	})
}

func FuzzDecodeDIDBinding(f *testing.F) {
	f.Add(encodeDID(&sampleDID))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := DecodeDIDBinding(b)
		if err == nil {
			if d2, err := DecodeDIDBinding(encodeDID(&d)); err != nil || d != d2 {
				t.Fatalf("%+v re-decodes as %+v %v", d, d2, err)
			}
		}
	})
}

func FuzzDecodeDIDAddress(f *testing.F) {
	f.Add(encodeDIDAddress("alice"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeDIDAddress(b)
		if err == nil {
			if s2, err := DecodeDIDAddress(encodeDIDAddress(s)); err != nil || s != s2 {
				t.Fatalf("%q re-decodes as %q %v", s, s2, err)
			}
		}
	})
}

func FuzzDecodeHolder(f *testing.F) {
	f.Add(holderKey("FOO", "tA"), encodeHolder(5))
	f.Fuzz(func(t *testing.T, k, v []byte) {
		h, err := DecodeHolder(k, v)
		if err == nil {
			if h2, err := DecodeHolder(holderKey(h.Symbol, h.Address), encodeHolder(h.Quantity)); err != nil || h != h2 {
				t.Fatalf("%+v re-decodes as %+v %v", h, h2, err)
			}
		}
	})
}

func FuzzDecodeHistoryEntry(f *testing.F) {
	f.Add(historyKey(&sampleHistory), sampleHistory.Encode())
	d := sampleHistory
	d.Kind, d.Name = HistoryDIDAddress, "tA"
	f.Add(historyKey(&d), d.Encode())
	f.Fuzz(func(t *testing.T, k, v []byte) {
		e, err := DecodeHistoryEntry(k, v)
		if err == nil {
			if e2, err := DecodeHistoryEntry(historyKey(&e), e.Encode()); err != nil || e != e2 {
				t.Fatalf("%+v re-decodes as %+v %v", e, e2, err)
			}
		}
	})
}

func FuzzDecodeCertKey(f *testing.F) {
	f.Add(certKey("FOO", tx.CertDomain))
	f.Fuzz(func(t *testing.T, k []byte) {
		s, typ, err := DecodeCertKey(k)
		if err == nil && !bytes.Equal(certKey(s, typ), k) {
			t.Fatalf("%x decodes as %q %#x", k, s, typ)
		}
	})
}
