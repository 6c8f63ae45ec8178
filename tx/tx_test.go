package tx

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/mvsgo/mvs"
)

type chainVectors struct {
	Genesis map[string]struct {
		Raw          string `json:"raw"`
		Hash         string `json:"hash"`
		CoinbaseTxID string `json:"coinbase_txid"`
		PaysTo       string `json:"pays_to"`
	} `json:"genesis"`
	Transactions []struct {
		Name string `json:"name"`
		Raw  string `json:"raw"`
		TxID string `json:"txid"`
	} `json:"transactions"`
}

func loadVectors(t testing.TB) chainVectors {
	t.Helper()
	b, err := os.ReadFile("testdata/mvs-chain.json")
	if err != nil {
		t.Fatal(err)
	}
	var v chainVectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Transactions) == 0 {
		t.Fatal("no transaction vectors")
	}
	return v
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRealTransactions decodes every real transaction, re-encodes it byte for byte and
// checks its id.
func TestRealTransactions(t *testing.T) {
	v := loadVectors(t)
	for _, vec := range v.Transactions {
		t.Run(vec.Name, func(t *testing.T) {
			raw := mustHex(t, vec.Raw)
			tx, err := Decode(raw)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if got := tx.Bytes(); !bytes.Equal(got, raw) {
				t.Fatalf("re-encoding differs:\n got %x\nwant %x", got, raw)
			}
			if n := tx.SerializeSize(); n != len(raw) {
				t.Fatalf("SerializeSize %d, want %d", n, len(raw))
			}
			if got := tx.Hash().String(); got != vec.TxID {
				t.Fatalf("hash %s, want %s", got, vec.TxID)
			}
			if err := tx.CheckSanity(); err != nil {
				t.Fatalf("CheckSanity: %v", err)
			}
		})
	}
}

// TestAttachmentsDecoded pins the typed payloads of the vectors, so a decoder that merely
// round-trips bytes cannot pass.
func TestAttachmentsDecoded(t *testing.T) {
	v := loadVectors(t)
	byName := map[string]*Tx{}
	for _, vec := range v.Transactions {
		tx, err := Decode(mustHex(t, vec.Raw))
		if err != nil {
			t.Fatal(err)
		}
		byName[vec.Name] = tx
	}
	mst := byName["mst transfer (DNA), tx v4"]
	if tr, ok := mst.Outputs[0].Attachment.Payload.(*AssetTransfer); !ok || tr.Symbol != "DNA" || tr.Quantity != 5389558880 {
		t.Errorf("mst transfer output 0: %+v", mst.Outputs[0].Attachment.Payload)
	}
	issue := byName["mst issue (888, decimals 6, issuer bitking), tx v2"]
	d, ok := issue.Outputs[0].Attachment.Payload.(*AssetDetail)
	if !ok || d.Symbol != "888" || d.Decimals != 6 || d.Issuer != "bitking" || d.Address != "MMkJjWCYFBRX7aXf9HsP5BqvUitVA8uyNk" {
		t.Errorf("issue detail: %+v", issue.Outputs[0].Attachment.Payload)
	}
	mit := byName["mit register with attachment version 207 (to_did/from_did)"]
	a := mit.Outputs[0].Attachment
	m, ok := a.Payload.(*MIT)
	if a.Version != AttachVersionDID || a.ToDID != "ZZm18676433594" || a.FromDID != "ZZm18676433594" || !ok ||
		m.Status != MITStatusRegister || m.Symbol != "Zj1314" || m.Address != "M9EKLDaTvhyZXmEsmXmDPCKhwApEwiwvYT" || m.Content != "" {
		t.Errorf("mit output: %+v payload %+v", a, a.Payload)
	}
}

func TestGenesisCoinbase(t *testing.T) {
	for _, p := range []*mvs.Params{mvs.MainNet(), mvs.TestNet()} {
		v := loadVectors(t).Genesis[p.Name]
		raw := mustHex(t, v.Raw)
		// The coinbase follows the 148-byte header and the one-byte count.
		tx, err := Decode(raw[mvs.HeaderSize+1:])
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		if tx.Hash().String() != v.CoinbaseTxID || !tx.IsCoinbase() || tx.Version != VersionGenesis {
			t.Errorf("%s genesis coinbase: hash %s", p.Name, tx.Hash())
		}
		if err := tx.CheckSanity(); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
}

// TestDecodeErrorsAtEveryBoundary truncates a real transaction at every length and checks
// that each prefix fails with ErrTruncated (or ErrTooLarge for a count that cannot fit),
// never panics, and names a field.
func TestDecodeErrorsAtEveryBoundary(t *testing.T) {
	for _, vec := range loadVectors(t).Transactions {
		raw := mustHex(t, vec.Raw)
		for n := 0; n < len(raw); n++ {
			_, err := Decode(raw[:n])
			var de *DecodeError
			if !errors.As(err, &de) || de.Field == "" || de.Offset > n {
				t.Fatalf("%s[:%d]: error %v is not a DecodeError at a field within the input", vec.Name, n, err)
			}
			if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("%s[:%d]: %v", vec.Name, n, err)
			}
		}
		if _, err := Decode(append(raw, 0)); !errors.Is(err, ErrTrailing) {
			t.Fatalf("trailing byte: %v", err)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	raw := mustHex(t, loadVectors(t).Transactions[1].Raw) // MST transfer
	tests := []struct {
		name   string
		mutate func([]byte) []byte
		want   error
		field  string
	}{
		{"huge input count", func(b []byte) []byte { return append(append(b[:4:4], 0xfe, 0xff, 0xff, 0xff, 0x7f), b[5:]...) }, ErrTooLarge, "input_count"},
		{"asset status 3", func(b []byte) []byte {
			i := bytes.Index(b, []byte{2, 0, 0, 0, 2, 0, 0, 0, 3, 'D', 'N', 'A'})
			c := bytes.Clone(b)
			c[i+4] = 3
			return c
		}, ErrAttachmentStatus, "output[0].attachment.status"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(tc.mutate(bytes.Clone(raw)))
			var de *DecodeError
			if !errors.Is(err, tc.want) || !errors.As(err, &de) || de.Field != tc.field {
				t.Fatalf("got %v, want %v at %s", err, tc.want, tc.field)
			}
		})
	}
}

// TestNulTruncation: the node reads attachment strings up to their first NUL, and hashes
// its re-serialization; so do we.
func TestNulTruncation(t *testing.T) {
	tx := &Tx{Version: 4, Inputs: []Input{{PreviousOutput: OutPoint{Index: 1}, Sequence: 0xffffffff}},
		Outputs: []Output{{Script: []byte{0x6a}, Attachment: Attachment{Version: 1, Type: TypeMessage, Payload: &Message{Content: "hi\x00there"}}}}}
	got, err := Decode(tx.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if c := got.Outputs[0].Attachment.Payload.(*Message).Content; c != "hi" {
		t.Fatalf("content %q, want %q", c, "hi")
	}
}

func TestAllPayloadsRoundTrip(t *testing.T) {
	outs := []Attachment{
		{Version: 1, Type: TypeETP},
		{Version: 0, Type: TypeCoinstakeNull},
		{Version: 1, Type: TypeETPAward, Payload: &ETPAward{Height: 12345}},
		{Version: 1, Type: TypeAsset, Payload: &AssetDetail{Symbol: "ABC.X", MaximumSupply: 1e12, Decimals: 4, SecondaryIssueThreshold: 128 + 51, Issuer: "alice", Address: "Maddr", Description: "d"}},
		{Version: 1, Type: TypeAsset, Payload: &AssetTransfer{Symbol: "ABC.X", Quantity: 7}},
		{Version: 1, Type: TypeMessage, Payload: &Message{Content: "hello"}},
		{Version: 1, Type: TypeDID, Payload: &DID{Status: DIDStatusRegister, Symbol: "alice", Address: "Maddr"}},
		{Version: 207, Type: TypeDID, ToDID: "bob", FromDID: "alice", Payload: &DID{Status: DIDStatusTransfer, Symbol: "alice", Address: "Mbob"}},
		{Version: 1, Type: TypeAssetCert, Payload: &AssetCert{Symbol: "ABC", Owner: "alice", Address: "Maddr", CertType: CertDomain, Status: CertStatusIssue}},
		{Version: 1, Type: TypeAssetCert, Payload: &AssetCert{Symbol: "ABC", Owner: "alice", Address: "Maddr", CertType: CertMining, Status: CertStatusAutoIssue, Content: "initial:1,interval:2,base:0.9"}},
		{Version: 1, Type: TypeMIT, Payload: &MIT{Status: MITStatusRegister, Symbol: "T1", Address: "Maddr", Content: "c"}},
		{Version: 1, Type: TypeMIT, Payload: &MIT{Status: MITStatusTransfer, Symbol: "T1", Address: "Maddr"}},
		{Version: 1, Type: 99},
	}
	for _, a := range outs {
		tx := &Tx{Version: 4, Inputs: []Input{{PreviousOutput: OutPoint{Index: 0}}}, Outputs: []Output{{Value: 1, Attachment: a}}}
		b, err := tx.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(b)
		if err != nil {
			t.Fatalf("%v: %v", a.Type, err)
		}
		if !bytes.Equal(got.Bytes(), b) || got.SerializeSize() != len(b) {
			t.Fatalf("%v: round trip differs", a.Type)
		}
	}
	bad := &Tx{Outputs: []Output{{Attachment: Attachment{Type: TypeMessage, Payload: &DID{}}}}}
	if _, err := bad.MarshalBinary(); !errors.Is(err, ErrPayloadMismatch) {
		t.Fatalf("mismatch: %v", err)
	}
}

// TestJSONRoundTrip: the JSON form of every real transaction encodes back to its bytes, and
// carries the readable fields the CLI promises.
func TestJSONRoundTrip(t *testing.T) {
	for _, vec := range loadVectors(t).Transactions {
		raw := mustHex(t, vec.Raw)
		tx, err := Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(tx)
		if err != nil {
			t.Fatal(err)
		}
		var back Tx
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v\n%s", vec.Name, err, b)
		}
		if !bytes.Equal(back.Bytes(), raw) {
			t.Fatalf("%s: JSON round trip differs", vec.Name)
		}
		j := tx.ToJSON(mvs.MainNet())
		if j.Hash != vec.TxID || j.Outputs[0].Address == "" || j.Outputs[0].Script == "" {
			t.Fatalf("%s: %+v", vec.Name, j.Outputs[0])
		}
	}
}

func TestJSONRejects(t *testing.T) {
	tx, _ := Decode(mustHex(t, loadVectors(t).Transactions[1].Raw))
	j := tx.ToJSON(mvs.MainNet())
	j.Outputs[0].Value++
	if _, err := FromJSON(j); !errors.Is(err, ErrJSON) {
		t.Fatalf("edited value with stale hash: %v", err)
	}
	j.Hash = ""
	j.Outputs[0].Attachment.Type = "nonsense"
	if _, err := FromJSON(j); !errors.Is(err, ErrJSON) {
		t.Fatalf("unknown type: %v", err)
	}
}
