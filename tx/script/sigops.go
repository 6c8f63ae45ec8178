package script

// SigOpCount is the node's count_script_sigops over a script as it parses it:
// CHECKSIG(VERIFY) counts 1, and CHECKMULTISIG(VERIFY) counts 20, or with accurate set the
// key count when the opcode before it is OP_1..OP_16. A script that does not parse is, to
// the node, one raw operation (parse_mode raw_data_fallback) and counts 0.
func SigOpCount(s Script, accurate bool) int {
	n := 0
	last := Opcode(0xff)
	t := s.Tokenize()
	for t.Next() {
		op := t.Op().Opcode
		switch op {
		case OP_CHECKSIG, OP_CHECKSIGVERIFY:
			n++
		case OP_CHECKMULTISIG, OP_CHECKMULTISIGVERIFY:
			if accurate && last >= OP_1 && last <= OP_16 {
				n += last.SmallInt()
			} else {
				n += MaxPubKeysPerMultisig
			}
		}
		last = op
	}
	if t.Err() != nil {
		return 0
	}
	return n
}

// P2SHSigOpCount is the node's script_hash_signature_operations_count, which connect_input
// adds to a block's sigops: 0 unless scriptPubKey is P2SH; otherwise the accurate count of
// the redeem script, the data of the scriptSig's last operation (push-only or not; a
// scriptSig that does not parse is one raw operation holding all of it). ok is false when
// that redeem script does not parse: the node then rejects the block.
func P2SHSigOpCount(scriptPubKey, scriptSig Script) (n int, ok bool) {
	if !scriptPubKey.IsPayToScriptHash() || len(scriptSig) == 0 {
		return 0, true
	}
	var redeem []byte
	t := scriptSig.Tokenize()
	for t.Next() {
		redeem = t.Op().Data
	}
	if t.Err() != nil {
		redeem = scriptSig
	}
	if _, err := Parse(redeem); err != nil {
		return 0, false
	}
	return SigOpCount(Script(redeem), true), true
}
