package tx

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx/script"
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

// TestFromNodeJSON rebuilds transactions from the JSON the reference node printed for them:
// each must hash to the node's own hash, and match the raw bytes where the source gave them.
func TestFromNodeJSON(t *testing.T) {
	b, err := os.ReadFile("testdata/node-json.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Cases []struct {
			Name string
			Raw  string
			Node json.RawMessage
		}
	}
	if err := json.Unmarshal(b, &v); err != nil || len(v.Cases) < 7 {
		t.Fatalf("%v (%d cases)", err, len(v.Cases))
	}
	for _, c := range v.Cases {
		tx, err := FromNodeJSON(c.Node)
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		if c.Raw != "" && hex.EncodeToString(tx.Bytes()) != c.Raw {
			t.Errorf("%s: bytes differ from the raw hex", c.Name)
		}
		// Our own JSON of the result prints the node's script text and input addresses.
		type nodeInputs struct {
			Inputs []struct{ Address, Script string }
		}
		var node struct {
			nodeInputs
			Transaction *nodeInputs
		}
		_ = json.Unmarshal(c.Node, &node)
		if node.Transaction != nil {
			node.nodeInputs = *node.Transaction
		}
		p := mvs.MainNet()
		if strings.Contains(c.Name, "testnet") {
			p = mvs.TestNet()
		}
		j := tx.ToJSON(p)
		if len(node.Inputs) != len(j.Inputs) {
			t.Fatalf("%s: fixture has %d inputs", c.Name, len(node.Inputs))
		}
		for i, in := range node.Inputs {
			if j.Inputs[i].Address != in.Address || j.Inputs[i].Script != in.Script {
				t.Errorf("%s: input %d reads %q %q, node printed %q %q", c.Name, i, j.Inputs[i].Address, j.Inputs[i].Script, in.Address, in.Script)
			}
		}
	}
}

// TestFromNodeJSONRejects: an edit the node's JSON cannot express, or that contradicts
// what a field describes, is refused with ErrJSON, never absorbed.
func TestFromNodeJSONRejects(t *testing.T) {
	b, err := os.ReadFile("testdata/node-json.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Cases []struct{ Node json.RawMessage }
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, v.Cases[0].Node); err != nil {
		t.Fatal(err)
	}
	orig := compact.String()
	edit := func(old, new string) string {
		if !strings.Contains(orig, old) {
			t.Fatalf("fixture lacks %q", old)
		}
		return strings.Replace(orig, old, new, 1)
	}
	noHash := func(s string) string {
		return strings.Replace(s, `"hash":"d791b2e0ca6eeb9b5521766b051d54f3659c775dceb39c478ebd0a549bb6d2b4",`, "", 1)
	}
	for _, tc := range []struct {
		name, json, want string
	}{
		{"edited value, stale hash", edit(`"value":3344`, `"value":3345`), "hashes to"},
		{"edited address, unedited script", noHash(edit(`"address":"MHaKHUFwAdcszvQarCmn1Rkq2uRoPQjZwm"`, `"address":"MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve"`)), "is not what the script pays"},
		{"index out of place", noHash(edit(`"index":1,`, `"index":5,`)), "index is 5"},
		{"lock height that the script lacks", noHash(edit(`"locked_height_range":0`, `"locked_height_range":100`)), "locked_height_range"},
		{"unknown attachment type", noHash(edit(`"type":"etp"`, `"type":"gold"`)), "gold"},
		{"no outputs", `{"inputs":[{"previous_output":{"hash":"0000000000000000000000000000000000000000000000000000000000000000","index":0}}]}`, "outputs"},
		{"empty object", `{}`, "inputs"},
		{"node error", `{"error":{"code":1021,"message":"bad tx"}}`, "node answered an error"},
	} {
		_, err := FromNodeJSON([]byte(tc.json))
		if !errors.Is(err, ErrJSON) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v (want ErrJSON mentioning %q)", tc.name, err, tc.want)
		}
	}
	// Without the hash an edit is taken as meant.
	got, err := FromNodeJSON([]byte(noHash(edit(`"value":3344`, `"value":3345`))))
	if err != nil || got.Outputs[0].Value != 3345 {
		t.Fatalf("edited value without hash: %v", err)
	}
}

// TestJSONNodeText: the JSON's script text is the node's, also for the PUSHDATA2 of a
// locked-asset model, while script_hex keeps the exact bytes; FromJSON and FromNodeJSON both
// give back the same transaction.
func TestJSONNodeText(t *testing.T) {
	const model = "PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3"
	h := [20]byte{7}
	lock, err := script.Attenuation(h, model, script.NullOutPoint())
	if err != nil {
		t.Fatal(err)
	}
	src, _ := Decode(mustHex(t, loadVectors(t).Transactions[1].Raw))
	src.Outputs[0].Script = lock
	j := src.ToJSON(mvs.MainNet())
	text := j.Outputs[0].Script
	if strings.Contains(text, "2.") || !strings.HasPrefix(text, "[ "+hex.EncodeToString([]byte(model))+" ]") {
		t.Fatalf("script text is not the node's: %s", text)
	}
	if j.Outputs[0].Address != mvs.NewPubKeyHashAddress(h, mvs.MainNet()).String() || j.Inputs[0].Address == "" {
		t.Fatalf("addresses: output %q, input %q", j.Outputs[0].Address, j.Inputs[0].Address)
	}
	back, err := FromJSON(j)
	if err != nil || !bytes.Equal(back.Bytes(), src.Bytes()) {
		t.Fatalf("FromJSON: %v", err)
	}
	// The node's JSON form of the same output (text only) is rebuilt with the PUSHDATA2.
	b, _ := json.Marshal(j)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	for _, o := range m["outputs"].([]any) {
		delete(o.(map[string]any), "script_hex")
		delete(o.(map[string]any), "etp")
	}
	b, _ = json.Marshal(m)
	fromNode, err := FromNodeJSON(b)
	if err != nil || !bytes.Equal(fromNode.Outputs[0].Script, lock) {
		t.Fatalf("FromNodeJSON: %v", err)
	}
}

// TestJSONRefusesContradictions: {} is no transaction, and a readable field that disagrees
// with the exact one is refused rather than silently ignored.
func TestJSONRefusesContradictions(t *testing.T) {
	src, _ := Decode(mustHex(t, loadVectors(t).Transactions[0].Raw))
	for _, tc := range []struct {
		name string
		edit func(j *JSONTx)
		want string
	}{
		{"etp disagrees with value", func(j *JSONTx) { j.Outputs[0].ETP = "999" }, "etp"},
		{"etp not a number", func(j *JSONTx) { j.Outputs[0].ETP = "lots" }, "etp"},
		{"script text disagrees with hex", func(j *JSONTx) {
			j.Outputs[0].Script = "dup hash160 [ 0000000000000000000000000000000000000000 ] equalverify checksig"
		}, "differ"},
		{"no inputs", func(j *JSONTx) { j.Inputs = nil }, `"inputs"`},
		{"no outputs", func(j *JSONTx) { j.Outputs = nil }, `"outputs"`},
	} {
		j := src.ToJSON(mvs.MainNet())
		j.Hash = ""
		tc.edit(j)
		_, err := FromJSON(j)
		if !errors.Is(err, ErrJSON) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", tc.name, err)
		}
		if readable := tc.want == "etp" || tc.want == "differ"; readable != errors.Is(err, ErrTextMismatch) {
			t.Errorf("%s: errors.Is(ErrTextMismatch) = %v", tc.name, !readable)
		}
	}
	var empty Tx
	if err := json.Unmarshal([]byte(`{}`), &empty); !errors.Is(err, ErrJSON) {
		t.Errorf("{} decoded as a transaction: %v", err)
	}
	// The ETP string in its fixed form is accepted.
	j := src.ToJSON(mvs.MainNet())
	j.Outputs[0].ETP = j.Outputs[0].Value.Fixed()
	if _, err := FromJSON(j); err != nil {
		t.Errorf("fixed-form etp: %v", err)
	}
}
