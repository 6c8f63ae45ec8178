package did

import (
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx/script"
)

// scriptAddress is the node's output::get_script_address: the text of the address a script
// pays on network p. A script without one (bare multisig, null data, non-standard) gives the
// node's empty payment_address, whose encoding (version 0, zero hash) is the burn address's
// text, so that is what it returns too: the node's string comparisons see exactly that.
func scriptAddress(s []byte, p *mvs.Params) string {
	a, ok := script.Script(script.NodeForm(s)).Address(p)
	if !ok || !a.IsValid() {
		return mvs.BlackholeAddress
	}
	return a.String()
}

// stealthVersion is the version byte of a DarkWallet stealth address, the only kind the
// node's is_stealth_address accepts (on every network).
const stealthVersion = 0x2a

// isNodeAddress is block_chain_impl::is_valid_address, which a registered DID symbol must
// fail: a base58check P2PKH or P2SH address of the network, a stealth address, or the burn
// address.
func isNodeAddress(s string, p *mvs.Params) bool {
	if s == mvs.BlackholeAddress {
		return true
	}
	b, err := mvs.Base58Decode(s)
	if err != nil {
		return false
	}
	if len(b) == 25 && checksumOK(b) && (b[0] == p.PubKeyHashAddrID || b[0] == p.ScriptHashAddrID) {
		return true
	}
	return isStealth(b)
}

func checksumOK(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	sum := mvs.DoubleSHA256(b[:len(b)-4])
	return [4]byte(sum[:4]) == [4]byte(b[len(b)-4:])
}

// isStealth is stealth_address::from_stealth followed by the version test: version 0x2a,
// options 0 or 1, a 33-byte scan key (not checked as a point, as in the node), N spend keys
// (at most 255 with the reused scan key), a signature count, a prefix of at most 32 bits,
// and nothing after the prefix but the checksum.
func isStealth(b []byte) bool {
	const minSize = 1 + 1 + 33 + 1 + 1 + 1 + 4
	if len(b) < minSize || !checksumOK(b) || b[0] != stealthVersion {
		return false
	}
	options := b[1]
	if options > 1 {
		return false
	}
	n := int(b[35])
	need := minSize + 33*n
	if len(b) < need {
		return false
	}
	i := 36 + 33*n
	filterBits := int(b[i+1])
	if filterBits > 32 {
		return false
	}
	need += (filterBits + 7) / 8
	if len(b) != need {
		return false
	}
	spendKeys := n + int(options) // the reuse flag adds the scan key
	return spendKeys <= 255
}
