package tx

// Findings of a review against the reference node (asset_mit::is_valid,
// asset_cert::serialized_size, transaction::is_coinstake): each test asserts the node's
// outcome and failed before its fix.

import (
	"encoding/hex"
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
