package tx

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx/script"
)

// saneTx is a minimal valid version-4 transaction to mutate.
func saneTx() *Tx {
	p2pkh := []byte{0x76, 0xa9, 0x14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 0x88, 0xac}
	return &Tx{Version: VersionNova,
		Inputs:  []Input{{PreviousOutput: OutPoint{Hash: mvs.Hash{1}, Index: 0}, Sequence: 0xffffffff}},
		Outputs: []Output{{Value: 1000, Script: p2pkh, Attachment: Attachment{Version: 1, Type: TypeETP}}}}
}

func TestCheckSanityRules(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Tx)
		want   error
	}{
		{"valid", func(*Tx) {}, nil},
		{"no inputs", func(t *Tx) { t.Inputs = nil }, ErrNoInputs},
		{"no outputs", func(t *Tx) { t.Outputs = nil }, ErrNoOutputs},
		{"version 5", func(t *Tx) { t.Version = 5 }, ErrVersion},
		{"duplicate prevout", func(t *Tx) { t.Inputs = append(t.Inputs, t.Inputs[0]) }, ErrDuplicateInput},
		{"null prevout outside coinbase", func(t *Tx) {
			t.Inputs = append(t.Inputs, Input{PreviousOutput: OutPoint{Index: 0xffffffff}})
		}, ErrNullPrevOut},
		{"value above max money", func(t *Tx) { t.Outputs[0].Value = mvs.MaxMoney + 1 }, ErrOutputValue},
		{"sum above max money", func(t *Tx) {
			t.Outputs[0].Value = mvs.MaxMoney
			t.Outputs = append(t.Outputs, t.Outputs[0])
		}, ErrTotalOutputValue},
		{"non-standard output", func(t *Tx) { t.Outputs[0].Script = []byte{0x51, 0x51, 0x93} }, ErrNonStandardOutput},
		{"non-standard allowed at version 1", func(t *Tx) { t.Version = 1; t.Outputs[0].Script = []byte{0x51, 0x51, 0x93} }, nil},
		{"too large", func(t *Tx) { t.Inputs[0].Script = make([]byte, MaxTxSize) }, ErrTxTooLarge},
		{"unknown attachment type at v4", func(t *Tx) { t.Outputs[0].Attachment.Type = 99 }, ErrInvalidAttachment},
		{"unknown attachment type at v2", func(t *Tx) { t.Version = 2; t.Outputs[0].Attachment.Type = 99 }, nil},
		{"empty message", func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeMessage, Payload: &Message{}}
		}, ErrInvalidAttachment},
		{"message of 252 bytes", func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeMessage, Payload: &Message{Content: strings.Repeat("m", 252)}}
		}, nil},
		{"message of 253 bytes", func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeMessage, Payload: &Message{Content: strings.Repeat("m", 253)}}
		}, ErrInvalidAttachment},
		{"asset transfer of zero", func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeAsset, Payload: &AssetTransfer{Symbol: "X"}}
		}, ErrInvalidAttachment},
		{"asset symbol of 64", func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeAsset, Payload: &AssetTransfer{Symbol: strings.Repeat("A", 64), Quantity: 1}}
		}, ErrInvalidAttachment},
		{"issue with zero supply", func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeAsset, Payload: &AssetDetail{Symbol: "X"}}
		}, ErrInvalidAttachment},
		{"secondary issue with zero supply", func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeAsset, Payload: &AssetDetail{Symbol: "X", SecondaryIssueThreshold: 128}}
		}, nil},
		{"cert without owner", func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeAssetCert, Payload: &AssetCert{Symbol: "X", CertType: CertIssue}}
		}, ErrInvalidAttachment},
		{"MIT status 3", func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeMIT, Payload: &MIT{Status: 3, Symbol: "T", Address: "M"}}
		}, ErrInvalidAttachment},
		{"DID too long", func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeDID, Payload: &DID{Status: 1, Symbol: strings.Repeat("d", 100), Address: strings.Repeat("a", 30)}}
		}, ErrInvalidAttachment},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tx := saneTx()
			tc.mutate(tx)
			err := tx.CheckSanity()
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// TestConsensusSizeQuirks: the reference's size caps a certificate at 197 bytes (its true
// size below that; every version of asset_cert::serialized_size returns min(calc, 197)),
// and counts DID strings as length+1.
func TestConsensusSizeQuirks(t *testing.T) {
	tx := saneTx()
	tx.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeAssetCert, Payload: &AssetCert{Symbol: "A", Owner: "o", Address: "M", CertType: CertIssue}}
	if d := tx.ConsensusSize() - tx.SerializeSize(); d != 0 {
		t.Errorf("cert: consensus size differs from the true size by %d", d)
	}
	tx.Outputs[0].Attachment.Payload = &AssetCert{Symbol: "A", Owner: "o", Address: "M", CertType: CertIssue | CertHasContent, Content: strings.Repeat("c", 250)}
	if d := tx.ConsensusSize() - tx.SerializeSize(); d != assetCertFixSize-(2+2+2+4+1+251) {
		t.Errorf("cert with content: consensus size differs by %d, want the 197-byte cap", d)
	}
	tx = saneTx()
	tx.Outputs[0].Attachment = Attachment{Version: AttachVersionDID, Type: TypeETP, ToDID: strings.Repeat("x", 300)}
	if d := tx.ConsensusSize() - tx.SerializeSize(); d != -2 { // 300+1 counted against a 3-byte varint
		t.Errorf("DID strings: difference %d", d)
	}
}

// The node hashes, signs and runs scripts as it writes them back after parsing: a 0xbb
// opcode is dropped (script.NodeForm), except in a coinbase script, which it keeps raw.
func TestScriptsInNodeForm(t *testing.T) {
	mk := func(out []byte) *Tx {
		return &Tx{Version: VersionNova,
			Inputs:  []Input{{PreviousOutput: OutPoint{Hash: mvs.Hash{1}}, Script: []byte{0x51, 0xbb}, Sequence: 0xffffffff}},
			Outputs: []Output{{Value: 5, Script: out, Attachment: Attachment{Version: 1, Type: TypeETP}}}}
	}
	raw, node := mk([]byte{0x6a, 0xbb}), mk([]byte{0x6a})
	node.Inputs[0].Script = []byte{0x51}
	if raw.Hash() != node.Hash() || !bytes.Equal(raw.Bytes(), node.Bytes()) || raw.SerializeSize() != len(node.Bytes()) {
		t.Error("a 0xbb opcode changes the id or the encoding")
	}
	h1, _ := raw.SignatureHash(0, []byte{0x76, 0xbb, 0xac}, script.SigHashAll)
	h2, _ := node.SignatureHash(0, []byte{0x76, 0xac}, script.SigHashAll)
	if h1 != h2 {
		t.Error("a 0xbb opcode changes the signature hash")
	}
	cb := &Tx{Version: 1, Inputs: []Input{{PreviousOutput: OutPoint{Index: 0xffffffff}, Script: []byte{0x03, 1, 2, 3, 0xbb}, Sequence: 0xffffffff}},
		Outputs: []Output{{Value: 5, Script: []byte{0x51}, Attachment: Attachment{Version: 1, Type: TypeETP}}}}
	if !bytes.Contains(cb.Bytes(), []byte{0x03, 1, 2, 3, 0xbb}) {
		t.Error("a coinbase script lost its 0xbb")
	}
}
