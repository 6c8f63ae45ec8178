package tx

// Findings of a review against the reference node (asset_mit::is_valid,
// asset_cert::serialized_size, transaction::is_coinstake): each test asserts the node's
// outcome and failed before its fix.

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// asset_mit::is_valid:
//
//	symbol_.size()+1 + address_.size()+1 + content_.size()+1 > ASSET_MIT_SYMBOL_FIX_SIZE(64) + ASSET_MIT_ADDRESS_FIX_SIZE(64) + ASSET_MIT_CONTENT_FIX_SIZE(256)
//
// i.e. 384 for both statuses; Go caps a transfer at 129 (ASSET_MIT_TRANSFER_FIX_SIZE, which
// the node uses only in serialized_size).
func TestReviewMITTransferLimit(t *testing.T) {
	tx := saneTx()
	tx.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeMIT,
		Payload: &MIT{Status: MITStatusTransfer, Symbol: strings.Repeat("M", 61), Address: strings.Repeat("a", 70)}}
	if err := tx.CheckSanity(); err != nil {
		t.Fatalf("node accepts (61+1+70+1+0+1 = 134 <= 384); Go: %v", err)
	}
}

// asset_cert::serialized_size:
//
//	if (has_content()) { std::min<uint64_t>(calc_size(), ASSET_CERT_FULL_FIX_SIZE); }   // value discarded
//	return std::min<uint64_t>(calc_size(), ASSET_CERT_FIX_SIZE);
//
// = min(calc_size, 197), not a constant 197.
func TestReviewCertConsensusSize(t *testing.T) {
	tx := saneTx()
	tx.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeAssetCert, Payload: &AssetCert{Symbol: "ABC", Owner: "me", Address: "MAddr", CertType: CertIssue}}
	if got, want := tx.ConsensusSize(), tx.SerializeSize(); got != want {
		t.Fatalf("ConsensusSize %d, node's serialized_size %d (calc_size (3+1)+(2+1)+(5+1)+4+1 = 18 < 197)", got, want)
	}
}

// transaction::is_coinstake also requires
//
//	inputs[0].get_script_address() == outputs[1].get_script_address()
//
// Otherwise output 0 (empty script) is checked and is non_standard -> script_not_standard.
func TestReviewCoinstakeAddress(t *testing.T) {
	sig, _ := hex.DecodeString("483045022100b8b5fff6b21be18cc57458cf25c0f3a78815a8b301c66ac95e3db87c6c6b82c402206c438d45eb93b8687701463c3104b1c4d43a07565e7ef45f56fb5e0ae4ee7a410121033a3de166218712ea5739febc926c7744464792e6c89b132e296eaaf25c598562")
	tx := saneTx()
	tx.Version = 2
	tx.Inputs[0].Script = sig
	other := saneTx().Outputs[0] // P2PKH to 0102...14, not the signer's key
	tx.Outputs = []Output{{Attachment: Attachment{Version: 0, Type: TypeCoinstakeNull}}, other}
	if tx.IsCoinstake() {
		t.Errorf("IsCoinstake true; node's is_coinstake is false (address mismatch)")
	}
	if err := tx.CheckSanity(); err == nil {
		t.Fatal("node: script_not_standard on output 0; Go accepts")
	}
}

// Symbol rules of check_transaction_basic (is_valid_symbol, is_valid_did_symbol,
// is_valid_mit_symbol): what introduces a symbol must name it well.
func TestSymbolRules(t *testing.T) {
	for _, c := range []struct {
		name string
		ok   bool
		set  func(*Tx)
	}{
		{"v4 issue lower case", false, func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeAsset, Payload: &AssetDetail{Symbol: "abc", MaximumSupply: 1, Issuer: "me", Address: "x"}}
		}},
		{"v4 issue with a banned word", false, func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeAsset, Payload: &AssetDetail{Symbol: "MYTOKEN", MaximumSupply: 1, Issuer: "me", Address: "x"}}
		}},
		{"v4 issue upper case", true, func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeAsset, Payload: &AssetDetail{Symbol: "MVS.DNA", MaximumSupply: 1, Issuer: "me", Address: "x"}}
		}},
		{"v2 issue lower case", true, func(t *Tx) {
			t.Version = 2
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeAsset, Payload: &AssetDetail{Symbol: "abc", MaximumSupply: 1}}
		}},
		{"v2 issue with '-'", false, func(t *Tx) {
			t.Version = 2
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeAsset, Payload: &AssetDetail{Symbol: "A-B", MaximumSupply: 1}}
		}},
		{"v4 transfer of a legacy lower-case asset", true, func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeAsset, Payload: &AssetTransfer{Symbol: "abc", Quantity: 1}}
		}},
		{"v4 cert lower case", false, func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeAssetCert, Payload: &AssetCert{Symbol: "abc", Owner: "me", CertType: CertIssue}}
		}},
		{"DID register with a space", false, func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeDID, Payload: &DID{Status: DIDStatusRegister, Symbol: "a b", Address: "x"}}
		}},
		{"DID register with @ _ -", true, func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeDID, Payload: &DID{Status: DIDStatusRegister, Symbol: "a@b_c-d", Address: "x"}}
		}},
		{"MIT register with a banned word in lower case", false, func(t *Tx) {
			t.Outputs[0].Attachment = Attachment{Version: 1, Type: TypeMIT, Payload: &MIT{Status: MITStatusRegister, Symbol: "my.token", Address: "x"}}
		}},
	} {
		tx := saneTx()
		c.set(tx)
		err := tx.CheckSanity()
		if c.ok != (err == nil) || (!c.ok && !errors.Is(err, ErrInvalidSymbol)) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
