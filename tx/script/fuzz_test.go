package script

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/mvsgo/mvs"
)

func FuzzParseScript(f *testing.F) {
	for _, h := range []string{"", "76a914e7da370944c15306b3809580110b0a6c653ac5a988ac", "4c03010203", "4d0300010203",
		"4e0100000007", "76a914e7da", "4d01", "babbff", "4c004d00004e00000000", "6a", "0401020304"} {
		b, _ := hex.DecodeString(h)
		f.Add(b)
	}
	att, _ := Attenuation([20]byte{1}, model1, NullOutPoint())
	f.Add([]byte(att))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Parse(b)
		if !bytes.Equal(s, b) {
			t.Fatal("Parse changed the bytes")
		}
		if (err == nil) != s.IsParseable() {
			t.Fatal("Parse and IsParseable disagree")
		}
		text := s.ASM()
		back, perr := ParseASM(text)
		if perr != nil {
			t.Fatalf("ParseASM(%q): %v", text, perr)
		}
		if !bytes.Equal(back, b) {
			t.Fatalf("ASM round trip: %x -> %q -> %x", b, text, []byte(back))
		}
		_ = s.NodeASM()
		c := Classify(s)
		_ = IsStandardOutput(s)
		_, _ = s.Address(mvs.MainNet())
		_, _, _ = AttenuationParams(s)
		_, _ = DepositLockHeight(s)
		_, _ = SequenceLockValue(s)
		_ = SigOpCount(s, true)
		_ = RemoveCodeSeparators(s)
		if c == PayKeyHash && !bytes.Equal(PayToPubKeyHash([20]byte(b[3:23])), b) {
			t.Fatal("PayKeyHash not canonical")
		}
		// Arbitrary text never panics either.
		_, _ = ParseASM(string(b))
	})
}

// fuzzChecker accepts a signature when its first byte is odd, so both outcomes are explored.
type fuzzChecker struct{}

func (fuzzChecker) CheckSig(sig, pubKey, scriptCode []byte) bool {
	return len(sig) > 0 && sig[0]&1 == 1
}
func (fuzzChecker) CheckLockTime(n int64) bool { return CheckLockTime(1000, 0, n) }
func (fuzzChecker) CheckSequence(n int64) bool { return CheckSequence(2, 100, n) }

func FuzzInterpreter(f *testing.F) {
	f.Add([]byte{}, []byte{0x51})
	f.Add(mustHex(f, "0001020102"), mustHex(f, "52210203030303030303030303030303030303030303030303030303030303030303032102030303030303030303030303030303030303030303030303030303030303030352ae"))
	f.Add([]byte{0x01, 0x01}, mustHex(f, "63516751686951"))
	f.Add(mustHex(f, "0164"), mustHex(f, "b275b3b1"))
	f.Add(mustHex(f, "4d2a00"+hex.EncodeToString([]byte(model1))+"0100"), mustHex(f, "b251"))
	f.Fuzz(func(t *testing.T, sig, pk []byte) {
		err1 := Verify(sig, pk, ConsensusFlags, fuzzChecker{})
		err2 := Verify(sig, pk, ConsensusFlags, fuzzChecker{})
		if (err1 == nil) != (err2 == nil) {
			t.Fatal("Verify is not deterministic")
		}
		_ = Verify(sig, pk, 0xffffffff, fuzzChecker{})
		_, _ = P2SHSigOpCount(pk, sig)
	})
}
