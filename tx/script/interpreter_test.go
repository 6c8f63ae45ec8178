package script

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"math/big"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
)

// testChecker is an in-package Checker: signatures are checked against a fixed digest, and
// the lock-time context is plain fields fed to the package's pure helpers.
type testChecker struct {
	digest     [32]byte
	version    uint32
	lockTime   uint32
	sequence   uint32
	scriptCode []byte // last scriptCode passed to CheckSig
}

func (c *testChecker) CheckSig(sig, pubKey, scriptCode []byte) bool {
	c.scriptCode = append(c.scriptCode[:0], scriptCode...)
	der, _, ok := SplitSignature(sig)
	return ok && VerifySignature(der, pubKey, c.digest)
}

func (c *testChecker) CheckLockTime(n int64) bool { return CheckLockTime(c.lockTime, c.sequence, n) }
func (c *testChecker) CheckSequence(n int64) bool {
	return CheckSequence(c.version, c.sequence, n)
}

func testKey(t testing.TB, seed byte) *btcec.PrivateKey {
	t.Helper()
	k, _ := btcec.PrivKeyFromBytes(bytes.Repeat([]byte{seed}, 32))
	return k
}

func asm(t testing.TB, s string) Script {
	t.Helper()
	b, err := ParseASM(s)
	if err != nil {
		t.Fatalf("ParseASM(%q): %v", s, err)
	}
	return b
}

func TestVerifyP2PKH(t *testing.T) {
	k := testKey(t, 1)
	pub := k.PubKey().SerializeCompressed()
	c := &testChecker{digest: sha256.Sum256([]byte("tx")), version: 4}
	sig := SignDigest(k, c.digest, SigHashAll)
	pk := PayToPubKeyHash(mvs.Hash160(pub))
	if err := Verify(SignatureScriptP2PKH(sig, pub), pk, ConsensusFlags, c); err != nil {
		t.Fatalf("valid P2PKH: %v", err)
	}
	if !bytes.Equal(c.scriptCode, pk) {
		t.Errorf("scriptCode %x, want the P2PKH script", c.scriptCode)
	}
	// Another digest (one changed byte of signed data) fails.
	bad := *c
	bad.digest[0] ^= 1
	if err := Verify(SignatureScriptP2PKH(sig, pub), pk, ConsensusFlags, &bad); !errors.Is(err, ErrEvalFalse) {
		t.Errorf("wrong digest: %v", err)
	}
	// Wrong key hash.
	other := testKey(t, 2).PubKey().SerializeCompressed()
	if err := Verify(SignatureScriptP2PKH(sig, other), pk, ConsensusFlags, c); !errors.Is(err, ErrEqualVerify) {
		t.Errorf("wrong key: %v", err)
	}
	// Deposit: <sig> <pub> <h> against <h> NUMEQUALVERIFY P2PKH; a wrong height fails.
	dep := LockHeightDeposit(mvs.Hash160(pub), 25200)
	if err := Verify(SignatureScriptDeposit(sig, pub, 25200), dep, ConsensusFlags, c); err != nil {
		t.Errorf("deposit: %v", err)
	}
	if err := Verify(SignatureScriptDeposit(sig, pub, 25201), dep, ConsensusFlags, c); !errors.Is(err, ErrNumEqualVerify) {
		t.Errorf("deposit wrong height: %v", err)
	}
}

// highS returns sig (DER+hashtype) with S replaced by N−S.
func highS(t *testing.T, sig []byte) []byte {
	der := sig[:len(sig)-1]
	lenR := int(der[3])
	s := new(big.Int).SetBytes(der[6+lenR:])
	s.Sub(btcec.S256().N, s)
	sb := s.Bytes()
	if sb[0]&0x80 != 0 {
		sb = append([]byte{0}, sb...)
	}
	out := []byte{0x30, 0, 0x02, byte(lenR)}
	out = append(out, der[4:4+lenR]...)
	out = append(out, 0x02, byte(len(sb)))
	out = append(out, sb...)
	out[1] = byte(len(out) - 2)
	return append(out, sig[len(sig)-1])
}

func TestDERStrictness(t *testing.T) {
	k := testKey(t, 3)
	pub := k.PubKey().SerializeCompressed()
	c := &testChecker{digest: sha256.Sum256([]byte("der"))}
	sig := SignDigest(k, c.digest, SigHashAll)
	pk := PayToPubKeyHash(mvs.Hash160(pub))

	hs := highS(t, sig)
	if !IsValidSignatureEncoding(hs) {
		t.Fatal("high-S signature should be valid DER")
	}
	if err := Verify(SignatureScriptP2PKH(hs, pub), pk, ConsensusFlags, c); err != nil {
		t.Errorf("high S must be accepted under consensus flags: %v", err)
	}
	if err := Verify(SignatureScriptP2PKH(hs, pub), pk, ConsensusFlags|FlagLowS, c); !errors.Is(err, ErrSigHighS) {
		t.Errorf("LOW_S: %v", err)
	}

	// A padded R (an extra 0x00) is BER, not DER: DERSIG rejects it before any curve math.
	lenR := int(sig[3])
	padded := append([]byte{0x30, sig[1] + 1, 0x02, byte(lenR + 1), 0x00}, sig[4:]...)
	if IsValidSignatureEncoding(padded) {
		t.Fatal("padded R should be invalid")
	}
	if err := Verify(SignatureScriptP2PKH(padded, pub), pk, ConsensusFlags, c); !errors.Is(err, ErrSigDER) {
		t.Errorf("padded R: %v", err)
	}
	// Without DERSIG the same signature just fails the check (VerifySignature is strict).
	if err := Verify(SignatureScriptP2PKH(padded, pub), pk, FlagP2SH, c); !errors.Is(err, ErrEvalFalse) {
		t.Errorf("padded R without DERSIG: %v", err)
	}
	// An empty signature is allowed by DERSIG and yields false.
	if err := Verify(asm(t, "zero [ "+Script(pub).Hex()[0:0]+"00 ] drop"), Script{}, 0, c); err == nil {
		t.Log("sanity")
	}
	empty := NewBuilder().AddOp(OP_0).AddData(pub).mustScript()
	if err := Verify(empty, append(PayToPubKeyHash(mvs.Hash160(pub))[:0:0], asm(t, "checksig not")...), ConsensusFlags, c); err != nil {
		t.Errorf("empty sig with NOT: %v", err)
	}
	for _, bad := range [][]byte{nil, {0x30}, append(sig[:len(sig)-2:len(sig)-2], 1)} {
		if IsValidSignatureEncoding(bad) {
			t.Errorf("%x valid", bad)
		}
	}
}

func TestCLTV(t *testing.T) {
	c := &testChecker{lockTime: 1000, sequence: 0, version: 1}
	run := func(asmText string, c *testChecker) error {
		return Verify(nil, asm(t, asmText), ConsensusFlags, c)
	}
	if err := run("[ e803 ] checklocktimeverify", c); err != nil {
		t.Errorf("1000 ≤ 1000: %v", err)
	}
	if err := run("[ e903 ] checklocktimeverify", c); !errors.Is(err, ErrUnsatisfiedLockTime) {
		t.Errorf("1001 > 1000: %v", err)
	}
	if err := run("-1 checklocktimeverify", c); !errors.Is(err, ErrNegativeLockTime) {
		t.Errorf("negative: %v", err)
	}
	if err := run("checklocktimeverify", c); !errors.Is(err, ErrInvalidStackOperation) {
		t.Errorf("empty stack: %v", err)
	}
	if err := run("[ 0065cd1d ] checklocktimeverify", c); !errors.Is(err, ErrUnsatisfiedLockTime) {
		t.Errorf("time vs height: %v", err)
	}
	if err := run("[ 0000000001 ] checklocktimeverify", c); !errors.Is(err, ErrUnsatisfiedLockTime) {
		t.Errorf("5-byte operand accepted as number: %v", err)
	}
	if err := run("[ 000000000001 ] checklocktimeverify", c); !errors.Is(err, ErrScriptNum) {
		t.Errorf("6-byte operand: %v", err)
	}
	final := *c
	final.sequence = SequenceFinal
	if err := run("[ e803 ] checklocktimeverify", &final); !errors.Is(err, ErrUnsatisfiedLockTime) {
		t.Errorf("final input: %v", err)
	}
	// CLTV does not pop: the operand is what is left on the stack.
	if err := run("zero checklocktimeverify", c); !errors.Is(err, ErrEvalFalse) {
		t.Errorf("CLTV must leave its (false) operand: %v", err)
	}
	// Disabled flag: a NOP.
	if err := Verify(nil, asm(t, "[ e903 ] checklocktimeverify"), FlagP2SH, c); err != nil {
		t.Errorf("NOP2 without the flag: %v", err)
	}
}

func TestCSV(t *testing.T) {
	c := &testChecker{version: 2, sequence: 100}
	run := func(n int64, c *testChecker) error {
		s := NewBuilder().AddNum(n).AddOp(OP_CHECKSEQUENCEVERIFY).mustScript()
		return Verify(nil, s, ConsensusFlags, c)
	}
	if err := run(100, c); err != nil {
		t.Errorf("100 ≤ 100: %v", err)
	}
	if err := run(101, c); !errors.Is(err, ErrUnsatisfiedLockTime) {
		t.Errorf("101 > 100: %v", err)
	}
	if err := run(-1, c); !errors.Is(err, ErrNegativeLockTime) {
		t.Errorf("negative: %v", err)
	}
	v1 := *c
	v1.version = 1
	if err := run(100, &v1); !errors.Is(err, ErrUnsatisfiedLockTime) {
		t.Errorf("tx version 1: %v", err)
	}
	// MVS's 20-bit mask: bits 16..19 count (Bitcoin would mask them away).
	big := &testChecker{version: 2, sequence: 0x000f0000}
	if err := run(0x000f0000, big); err != nil {
		t.Errorf("20-bit value: %v", err)
	}
	if err := run(0x000f0001, big); !errors.Is(err, ErrUnsatisfiedLockTime) {
		t.Errorf("20-bit value exceeded: %v", err)
	}
	// Bits above the mask (other than the type and disable flags) are ignored.
	if err := run(0x00100000|5, &testChecker{version: 2, sequence: 5}); err != nil {
		t.Errorf("bit 20 must be masked: %v", err)
	}
	// Time-type operand against a height-type sequence fails, and vice versa.
	if err := run(SequenceLockTimeTypeFlag|1, c); !errors.Is(err, ErrUnsatisfiedLockTime) {
		t.Errorf("type mismatch: %v", err)
	}
	tc := &testChecker{version: 2, sequence: SequenceLockTimeTypeFlag | 10}
	if err := run(SequenceLockTimeTypeFlag|10, tc); err != nil {
		t.Errorf("time lock: %v", err)
	}
	// Disable bit in the operand: a NOP even on a version-1 tx.
	if err := run(1<<31, &v1); err != nil {
		t.Errorf("disabled operand: %v", err)
	}
	// Disable bit in the input's sequence: fails.
	if err := run(1, &testChecker{version: 2, sequence: 1<<31 | 5}); !errors.Is(err, ErrUnsatisfiedLockTime) {
		t.Errorf("input sequence disabled: %v", err)
	}
	// 32-second units.
	if _, secs, isTime, _ := RelativeLock(SequenceLockTimeTypeFlag | 3); !isTime || secs != 96 {
		t.Errorf("RelativeLock secs = %d", secs)
	}
	if blocks, _, _, _ := RelativeLock(0x003fffff); blocks != 0x000fffff {
		t.Errorf("RelativeLock blocks = %x", blocks)
	}
	// The sequence-lock pattern verifies end to end (CSV leaves the operand; DROP removes it).
	k := testKey(t, 4)
	pub := k.PubKey().SerializeCompressed()
	sc := &testChecker{version: 4, sequence: 1000, digest: sha256.Sum256([]byte("csv"))}
	sig := SignDigest(k, sc.digest, SigHashAll)
	if err := Verify(SignatureScriptP2PKH(sig, pub), SequenceLock(mvs.Hash160(pub), 1000), ConsensusFlags, sc); err != nil {
		t.Errorf("sequence lock spend: %v", err)
	}
	sc.sequence = 999
	if err := Verify(SignatureScriptP2PKH(sig, pub), SequenceLock(mvs.Hash160(pub), 1000), ConsensusFlags, sc); !errors.Is(err, ErrUnsatisfiedLockTime) {
		t.Errorf("sequence lock too early: %v", err)
	}
}

func TestCheckAttenuationVerify(t *testing.T) {
	k := testKey(t, 5)
	pub := k.PubKey().SerializeCompressed()
	c := &testChecker{version: 4, digest: sha256.Sum256([]byte("att"))}
	sig := SignDigest(k, c.digest, SigHashAll)
	att, err := Attenuation(mvs.Hash160(pub), model1, NullOutPoint())
	if err != nil {
		t.Fatal(err)
	}
	// It pops both items: the P2PKH tail then sees only <sig> <pub>.
	if err := Verify(SignatureScriptP2PKH(sig, pub), att, ConsensusFlags, c); err != nil {
		t.Fatalf("attenuation spend: %v", err)
	}
	run := func(s string) error { return Verify(nil, asm(t, s), ConsensusFlags, c) }
	okModel := Script([]byte(model1)).Hex()
	if err := run("1 [ " + okModel + " ] [ 00 ] checkattenuationverify"); err != nil {
		t.Errorf("pops two, leaves 1: %v", err)
	}
	if err := run("[ " + okModel + " ] [ 00 ] checkattenuationverify depth zero equal"); err != nil {
		t.Errorf("depth after pop: %v", err)
	}
	if err := run("[ " + okModel + " ] checkattenuationverify"); !errors.Is(err, ErrInvalidStackOperation) {
		t.Errorf("one item: %v", err)
	}
	type0 := Script([]byte("PN=0;LH=20000;TYPE=0;LQ=9000;LP=60000;UN=3")).Hex()
	if err := run("[ " + type0 + " ] [ 00 ] checkattenuationverify"); !errors.Is(err, ErrInvalidModelParam) {
		t.Errorf("type 0: %v", err)
	}
	if err := run("[ 00 ] [ " + okModel + " ] checkattenuationverify"); !errors.Is(err, ErrInvalidModelParam) {
		t.Errorf("model on top instead of second: %v", err)
	}
	if err := run("zero [ 00 ] checkattenuationverify"); !errors.Is(err, ErrInvalidModelParam) {
		t.Errorf("empty model: %v", err)
	}
	// Without its flag, NOP3 pops nothing.
	if err := Verify(nil, asm(t, "zero 1 checkattenuationverify"), FlagP2SH, c); err != nil {
		t.Errorf("NOP3: %v", err)
	}
}

func TestP2SHMultisig(t *testing.T) {
	keys := []*btcec.PrivateKey{testKey(t, 6), testKey(t, 7), testKey(t, 8)}
	var pubs [][]byte
	for _, k := range keys {
		pubs = append(pubs, k.PubKey().SerializeCompressed())
	}
	redeem, err := MultisigRedeemScript(2, pubs)
	if err != nil {
		t.Fatal(err)
	}
	_, sorted, _ := MultisigKeys(redeem)
	byPub := map[string]*btcec.PrivateKey{}
	for _, k := range keys {
		byPub[string(k.PubKey().SerializeCompressed())] = k
	}
	c := &testChecker{digest: sha256.Sum256([]byte("ms")), version: 4}
	s0 := SignDigest(byPub[string(sorted[0])], c.digest, SigHashAll)
	s2 := SignDigest(byPub[string(sorted[2])], c.digest, SigHashAll)
	pk := PayToScriptHash(mvs.Hash160(redeem))
	if err := Verify(SignatureScriptMultisig([][]byte{s0, s2}, redeem), pk, ConsensusFlags, c); err != nil {
		t.Fatalf("2-of-3: %v", err)
	}
	if !bytes.Equal(c.scriptCode, redeem) {
		t.Errorf("P2SH scriptCode must be the redeem script")
	}
	// Signatures out of key order fail.
	if err := Verify(SignatureScriptMultisig([][]byte{s2, s0}, redeem), pk, ConsensusFlags, c); !errors.Is(err, ErrEvalFalse) {
		t.Errorf("out of order: %v", err)
	}
	// The dummy is popped: without it there are too few items.
	noDummy := NewBuilder().AddData(s0).AddData(s2).AddData(redeem).mustScript()
	if err := Verify(noDummy, pk, ConsensusFlags, c); !errors.Is(err, ErrInvalidStackOperation) {
		t.Errorf("no dummy: %v", err)
	}
	// A non-empty dummy is fine without NULLDUMMY, refused with it.
	dummy1 := append(Script{byte(OP_1)}, SignatureScriptMultisig([][]byte{s0, s2}, redeem)[1:]...)
	if err := Verify(dummy1, pk, ConsensusFlags, c); err != nil {
		t.Errorf("non-null dummy under consensus: %v", err)
	}
	if err := Verify(dummy1, pk, ConsensusFlags|FlagNullDummy, c); !errors.Is(err, ErrSigNullDummy) {
		t.Errorf("NULLDUMMY: %v", err)
	}
	// P2SH: a wrong redeem script fails the hash; a non-push scriptSig is refused.
	if err := Verify(SignatureScriptMultisig([][]byte{s0, s2}, redeem[1:]), pk, ConsensusFlags, c); !errors.Is(err, ErrEvalFalse) {
		t.Errorf("wrong redeem: %v", err)
	}
	nonPush := append(SignatureScriptMultisig([][]byte{s0, s2}, redeem), byte(OP_NOP))
	nonPush = append(Script{}, nonPush[:len(nonPush)-1]...)
	nonPush = append(Script{byte(OP_NOP)}, nonPush...)
	if err := Verify(nonPush, pk, ConsensusFlags, c); !errors.Is(err, ErrSigPushOnly) {
		t.Errorf("non-push scriptSig: %v", err)
	}
	// Without the P2SH flag only the hash is checked.
	if err := Verify(NewBuilder().AddData(redeem).mustScript(), pk, 0, c); err != nil {
		t.Errorf("no P2SH flag: %v", err)
	}
	if err := Verify(NewBuilder().AddData(redeem).mustScript(), pk, ConsensusFlags, c); !errors.Is(err, ErrInvalidStackOperation) {
		t.Errorf("P2SH with no signatures: %v", err)
	}
}

func TestInterpreterRules(t *testing.T) {
	c := &testChecker{}
	big := make([]byte, 521)
	tests := []struct {
		name   string
		sig    Script
		pubKey Script
		want   ErrorCode // 0: valid
	}{
		{"true", nil, asm(t, "1"), 0},
		{"false", nil, asm(t, "zero"), ErrEvalFalse},
		{"empty", nil, nil, ErrEvalFalse},
		{"negative zero is false", nil, asm(t, "[ 80 ]"), ErrEvalFalse},
		{"return", nil, asm(t, "1 return"), ErrOpReturn},
		{"disabled in dead branch", nil, asm(t, "zero if cat endif 1"), ErrDisabledOpcode},
		{"verif in dead branch", nil, asm(t, "zero if verif endif 1"), ErrBadOpcode},
		{"reserved in dead branch ok", nil, asm(t, "zero if reserved endif 1"), 0},
		{"reserved executed", nil, asm(t, "reserved 1"), ErrBadOpcode},
		{"unknown opcode", nil, asm(t, "1 <none 200>"), ErrBadOpcode},
		{"if else", nil, asm(t, "zero if zero else 1 endif"), 0},
		{"notif", nil, asm(t, "zero notif 1 endif"), 0},
		{"unbalanced if", nil, asm(t, "1 if 1"), ErrUnbalancedConditional},
		{"endif alone", nil, asm(t, "endif 1"), ErrUnbalancedConditional},
		{"if on empty", nil, asm(t, "if endif 1"), ErrUnbalancedConditional},
		{"verify", nil, asm(t, "zero verify 1"), ErrVerify},
		{"push size", nil, NewBuilder().AddData(big).mustScript(), ErrPushSize},
		{"malformed push", nil, Script{0x4c}, ErrBadOpcode},
		{"script size", nil, append(asm(t, "1"), make([]byte, MaxScriptSize)...), ErrScriptSize},
		{"arith", nil, asm(t, "2 3 add 5 numequal"), 0},
		{"arith 5-byte operand", nil, asm(t, "[ 0000000001 ] 1add"), ErrScriptNum},
		{"within", nil, asm(t, "3 2 5 within"), 0},
		{"pick", nil, asm(t, "1 zero 1 pick"), 0},
		{"roll out of range", nil, asm(t, "1 5 roll"), ErrInvalidStackOperation},
		{"altstack", nil, asm(t, "1 toaltstack fromaltstack"), 0},
		{"altstack empty", nil, asm(t, "fromaltstack"), ErrInvalidAltStackOperation},
		{"rot", nil, asm(t, "1 2 3 rot 1 equalverify 3 equalverify 2 equal"), 0},
		{"2dup 2drop swap", nil, asm(t, "1 2 2dup 2drop swap 1 equalverify 2 equal"), 0},
		{"tuck", nil, asm(t, "1 2 tuck 2 equalverify 1 equalverify 2 equal"), 0},
		{"nip", nil, asm(t, "1 2 nip 2 equal"), 0},
		{"over", nil, asm(t, "1 2 over 1 equalverify 2 equalverify 1 equal"), 0},
		{"3dup depth", nil, asm(t, "1 2 3 3dup depth 6 numequalverify 3 equalverify 2 equalverify 1 equalverify 3 equal"), 0},
		{"2over", nil, asm(t, "1 2 3 4 2over 2 equalverify 1 equalverify 4 equal"), 0},
		{"2swap", nil, asm(t, "1 2 3 4 2swap 2 equalverify 1 equalverify 4 equalverify 3 equal"), 0},
		{"2rot", nil, asm(t, "1 2 3 4 5 6 2rot 2 equalverify 1 equalverify 6 equal"), 0},
		{"ifdup", nil, asm(t, "zero ifdup depth 1 numequal"), 0},
		{"roll", nil, asm(t, "1 2 3 2 roll 1 equalverify depth 2 numequal"), 0},
		{"hashes", nil, asm(t, "zero sha256 [ e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 ] equal"), 0},
		{"hash160", nil, asm(t, "zero hash160 size [ 14 ] equal"), 0},
		{"multisig 0 of 0", nil, asm(t, "zero zero zero checkmultisig"), 0},
		{"multisig key count", nil, asm(t, "zero zero [ 15 ] checkmultisig"), ErrPubKeyCount},
		{"multisig sig count", nil, asm(t, "zero [ 02 ] 2 [ 02 ] 1 checkmultisig"), ErrSigCount},
		{"checksigverify empty sig", asm(t, "zero [ 02 ]"), asm(t, "checksigverify 1"), ErrCheckSigVerify},
		{"sigpushonly off", asm(t, "1 dup"), asm(t, "equal"), 0},
		{"op count", nil, append(bytes.Repeat([]byte{byte(OP_NOP)}, 202), byte(OP_1)), ErrOpCount},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Verify(tc.sig, tc.pubKey, ConsensusFlags, c)
			if tc.want == 0 {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	// Stack size: 1000 items pass, 1001 fail.
	s := append(bytes.Repeat([]byte{byte(OP_1)}, 1000), nil...)
	if err := Verify(nil, s, ConsensusFlags, c); err != nil {
		t.Errorf("1000 items: %v", err)
	}
	if err := Verify(nil, append(s, byte(OP_1)), ConsensusFlags, c); !errors.Is(err, ErrStackSize) {
		t.Errorf("1001 items: %v", err)
	}
	if err := Verify(asm(t, "1 dup"), asm(t, "equal"), ConsensusFlags|FlagSigPushOnly, c); !errors.Is(err, ErrSigPushOnly) {
		t.Errorf("SIGPUSHONLY: %v", err)
	}
	if err := Verify(asm(t, "1 1"), nil, ConsensusFlags|FlagCleanStack, c); !errors.Is(err, ErrCleanStack) {
		t.Errorf("CLEANSTACK: %v", err)
	}
}

func TestCodeSeparatorAndFindAndDelete(t *testing.T) {
	k := testKey(t, 9)
	pub := k.PubKey().SerializeCompressed()
	c := &testChecker{digest: sha256.Sum256([]byte("sep"))}
	sig := SignDigest(k, c.digest, SigHashAll)
	// scriptPubKey: <sig> drop codeseparator <pub> checksig, with the sig also embedded
	// before the separator: the scriptCode starts after the separator.
	pk := NewBuilder().AddData(sig).AddOp(OP_DROP).AddOp(OP_CODESEPARATOR).AddData(pub).AddOp(OP_CHECKSIG).mustScript()
	if err := Verify(NewBuilder().AddData(sig).mustScript(), pk, ConsensusFlags, c); err != nil {
		t.Fatal(err)
	}
	want := NewBuilder().AddData(pub).AddOp(OP_CHECKSIG).mustScript()
	if !bytes.Equal(c.scriptCode, want) {
		t.Errorf("scriptCode %x, want %x", c.scriptCode, []byte(want))
	}
	// FindAndDelete removes the signature's push from the scriptCode.
	pk2 := NewBuilder().AddData(pub).AddOp(OP_CHECKSIGVERIFY).AddData(sig).AddOp(OP_DROP).AddOp(OP_1).mustScript()
	if err := Verify(NewBuilder().AddData(sig).mustScript(), pk2, ConsensusFlags, c); err != nil {
		t.Fatal(err)
	}
	want2 := NewBuilder().AddData(pub).AddOp(OP_CHECKSIGVERIFY).AddOp(OP_DROP).AddOp(OP_1).mustScript()
	if !bytes.Equal(c.scriptCode, want2) {
		t.Errorf("FindAndDelete scriptCode %x, want %x", c.scriptCode, []byte(want2))
	}
}

func TestVerifySignatureKeys(t *testing.T) {
	k := testKey(t, 10)
	d := sha256.Sum256([]byte("keys"))
	sig := SignDigest(k, d, SigHashAll)
	der := sig[:len(sig)-1]
	if !VerifySignature(der, k.PubKey().SerializeUncompressed(), d) {
		t.Error("uncompressed key")
	}
	if !VerifySignature(der, k.PubKey().SerializeCompressed(), d) {
		t.Error("compressed key")
	}
	if VerifySignature(der, k.PubKey().SerializeCompressed()[:32], d) {
		t.Error("short key accepted")
	}
	if VerifySignature(sig, k.PubKey().SerializeCompressed(), d) {
		t.Error("hash type byte accepted as DER")
	}
	if !IsValidSignatureEncoding(sig) {
		t.Error("SignDigest output is not strict DER")
	}
	if _, s, ok := parseDER(der); !ok || s.IsOverHalfOrder() {
		t.Error("SignDigest must produce low S")
	}
}
