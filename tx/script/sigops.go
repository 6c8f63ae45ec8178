package script

// SigOpCount is Bitcoin's legacy GetSigOpCount: CHECKSIG(VERIFY) counts 1, and
// CHECKMULTISIG(VERIFY) counts 20, or with accurate set the key count when the opcode
// before it is OP_1..OP_16. Counting stops at a malformed push.
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
	return n
}

// P2SHSigOpCount is Bitcoin's GetSigOpCount(scriptSig) for a P2SH scriptPubKey: the accurate
// count of the redeem script (the scriptSig's last push), or 0 if the scriptSig is not
// push-only. For any other scriptPubKey it is SigOpCount(scriptPubKey, true).
func P2SHSigOpCount(scriptPubKey, scriptSig Script) int {
	if !scriptPubKey.IsPayToScriptHash() {
		return SigOpCount(scriptPubKey, true)
	}
	var redeem []byte
	t := scriptSig.Tokenize()
	for t.Next() {
		op := t.Op()
		if op.Opcode > OP_16 {
			return 0
		}
		redeem = op.Data
	}
	if t.Err() != nil {
		return 0
	}
	return SigOpCount(Script(redeem), true)
}
