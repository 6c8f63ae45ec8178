package script

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/mvsgo/mvs"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestASMRoundTrip(t *testing.T) {
	long := strings.Repeat("ab", 80)
	tests := []struct {
		name, hex, asm, node string // node empty: same as asm
	}{
		{"empty", "", "", ""},
		{"p2pkh", "76a914e7da370944c15306b3809580110b0a6c653ac5a988ac",
			"dup hash160 [ e7da370944c15306b3809580110b0a6c653ac5a9 ] equalverify checksig", ""},
		{"p2sh", "a91461fde3bd4e6955c99b16de2d71e2a369888a1c0b87",
			"hash160 [ 61fde3bd4e6955c99b16de2d71e2a369888a1c0b ] equal", ""},
		{"small numbers", "004f515f60", "zero -1 1 15 16", ""},
		{"mvs nops", "b0b1b2b3b4b9", "nop1 checklocktimeverify checkattenuationverify checksequenceverify nop5 nop10", ""},
		{"unnamed", "babbff", "<none 186> raw_data <none 255>", ""},
		{"empty pushdata", "4c004d00004e00000000", "pushdata1 pushdata2 pushdata4", ""},
		{"pushdata1 canonical 80", "4c50" + long, "[ " + long + " ]", ""},
		{"pushdata1 non-canonical 3", "4c03010203", "[ 1.010203 ]", "[ 010203 ]"},
		{"pushdata2 non-canonical 3", "4d0300010203", "[ 2.010203 ]", "[ 010203 ]"},
		{"pushdata4 non-canonical 1", "4e0100000007", "[ 4.07 ]", "[ 07 ]"},
		{"attenuation model pushdata2", "4d0400" + hex.EncodeToString([]byte("PN=0")), "[ 2.504e3d30 ]", "[ 504e3d30 ]"},
		{"truncated push", "76a914e7da", "[ raw.76a914e7da ]", "[ 76a914e7da ]"},
		{"truncated pushdata2 length", "4d01", "[ raw.4d01 ]", "[ 4d01 ]"},
		{"return", "6a", "return", ""},
		{"null data", "6a03616263", "return [ 616263 ]", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Script(mustHex(t, tc.hex))
			if got := s.ASM(); got != tc.asm {
				t.Errorf("ASM = %q, want %q", got, tc.asm)
			}
			wantNode := tc.node
			if wantNode == "" {
				wantNode = tc.asm
			}
			if got := s.NodeASM(); got != wantNode {
				t.Errorf("NodeASM = %q, want %q", got, wantNode)
			}
			back, err := ParseASM(tc.asm)
			if err != nil {
				t.Fatalf("ParseASM(%q): %v", tc.asm, err)
			}
			if !bytes.Equal(back, s) {
				t.Errorf("ParseASM(ASM) = %x, want %x", back, []byte(s))
			}
		})
	}
}

func TestPushOpcodeBoundaries(t *testing.T) {
	for _, tc := range []struct {
		n      int
		op     Opcode
		header string
	}{
		{0, OP_0, "00"}, {1, 1, "01"}, {75, 75, "4b"}, {76, OP_PUSHDATA1, "4c4c"}, {254, OP_PUSHDATA1, "4cfe"},
		{255, OP_PUSHDATA2, "4dff00"}, {65534, OP_PUSHDATA2, "4dfeff"}, {65535, OP_PUSHDATA4, "4effff0000"},
	} {
		if got := PushOpcode(tc.n); got != tc.op {
			t.Errorf("PushOpcode(%d) = %v, want %v", tc.n, got, tc.op)
		}
		s, err := NewBuilder().AddData(make([]byte, tc.n)).Script()
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(s[:len(tc.header)/2]); got != tc.header {
			t.Errorf("AddData(%d bytes) header %s, want %s", tc.n, got, tc.header)
		}
		// The node's text for a canonical push round-trips without a marker.
		back, err := ParseASM(s.ASM())
		if err != nil || !bytes.Equal(back, s) {
			t.Errorf("%d-byte push does not round-trip: %v", tc.n, err)
		}
	}
}

func TestParseASMForms(t *testing.T) {
	want := "76a914e7da370944c15306b3809580110b0a6c653ac5a988ac"
	for _, text := range []string{
		"dup hash160 [ e7da370944c15306b3809580110b0a6c653ac5a9 ] equalverify checksig",
		"OP_DUP OP_HASH160 [ e7da370944c15306b3809580110b0a6c653ac5a9 ] OP_EQUALVERIFY OP_CHECKSIG",
		"  DUP\thash160 [e7da370944c15306b3809580110b0a6c653ac5a9]\n equalverify checksig ",
	} {
		s, err := ParseASM(text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if s.Hex() != want {
			t.Errorf("%q = %s", text, s.Hex())
		}
	}
	for _, alias := range [][2]string{{"OP_0", "00"}, {"OP_FALSE", "00"}, {"OP_TRUE", "51"}, {"OP_1NEGATE", "4f"},
		{"nop2", "b1"}, {"nop3", "b2"}, {"nop4", "b3"}, {"OP_CHECKLOCKTIMEVERIFY", "b1"}, {"OP_CSV", "b3"}, {"<none 200>", "c8"}} {
		s, err := ParseASM(alias[0])
		if err != nil || s.Hex() != alias[1] {
			t.Errorf("ParseASM(%q) = %x, %v; want %s", alias[0], []byte(s), err, alias[1])
		}
	}
	for _, bad := range []string{"dup hash166", "[ ]", "[ zz ]", "[ 0 ]", "[ 00", "17", "01", "<none 118>", "<none 300>",
		"dup [ raw.76 ]", "[ 1." + strings.Repeat("00", 256) + " ]"} {
		if _, err := ParseASM(bad); !errors.Is(err, ErrASMSyntax) {
			t.Errorf("ParseASM(%q) error %v, want ErrASMSyntax", bad, err)
		}
	}
}

func TestParseError(t *testing.T) {
	s, err := Parse(mustHex(t, "76a914e7da"))
	if !errors.Is(err, ErrMalformedPush) {
		t.Fatalf("err %v", err)
	}
	var se *Error
	if !errors.As(err, &se) || se.Offset != 2 {
		t.Errorf("error offset: %+v", se)
	}
	if s.Hex() != "76a914e7da" {
		t.Errorf("raw bytes not kept: %x", []byte(s))
	}
	ops, err := s.Ops()
	if len(ops) != 2 || err == nil {
		t.Errorf("Ops = %d ops, %v", len(ops), err)
	}
}

var (
	testHash = [20]byte{0x61, 0xfd, 0xe3, 0xbd, 0x4e, 0x69, 0x55, 0xc9, 0x9b, 0x16, 0xde, 0x2d, 0x71, 0xe2, 0xa3, 0x69, 0x88, 0x8a, 0x1c, 0x0b}
	testPub  = "03afa153f4c9ba1bd19ef2f1d765c51e30a4a0705cb61b4efee3c72fc3a11c0e5f"
	testSig  = "3044022069b331762136a4be093d46869758e0c5ff352529ad68a1f90a4188e33e6004df0220667a8c18bb9800fecbfa6a6c7a21ac5677778b7729ae56e94c913b2312a43da901"
)

const model1 = "PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3"

func TestClassify(t *testing.T) {
	pub := mustHex(t, testPub)
	pub2 := append([]byte{0x02}, bytes.Repeat([]byte{7}, 32)...)
	ms, err := Multisig(1, [][]byte{pub, pub2})
	if err != nil {
		t.Fatal(err)
	}
	att, err := Attenuation(testHash, model1, NullOutPoint())
	if err != nil {
		t.Fatal(err)
	}
	// The TS library's attenuation form: the model in a direct push.
	attDirect := append(NewBuilder().AddData([]byte(model1)).mustScript(), att[3+len(model1):]...)
	nd, _ := NullDataScript([]byte("hello"))
	p2pk, _ := PayToPubKey(pub)
	sigP2PKH := SignatureScriptP2PKH(mustHex(t, testSig), pub)
	sigDeposit := SignatureScriptDeposit(mustHex(t, testSig), pub, 1000)
	sigMS := SignatureScriptMultisig([][]byte{mustHex(t, testSig)}, ms)
	p2pkhRedeemSig := NewBuilder().AddData(mustHex(t, testSig)).AddData(PayToPubKeyHash(testHash)).mustScript()

	p := mvs.MainNet()
	tests := []struct {
		name  string
		s     Script
		class Class
		addr  string
	}{
		{"p2pkh", PayToPubKeyHash(testHash), PayKeyHash, "MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve"},
		{"p2sh", PayToScriptHash(testHash), PayScriptHash, "3Ad9ciAKCq9D3bXa7NzicN3Ra3CsUTihXH"},
		{"bare multisig", ms, PayMultisig, ""},
		{"pay to pubkey", p2pk, PayPublicKey, mvs.NewPubKeyAddress(pub, p).String()},
		{"null data", nd, NullData, ""},
		{"null data pushdata1 is not", mustHex(t, "6a4c03616263"), NonStandard, ""},
		{"blackhole", Blackhole(), PayBlackhole, mvs.BlackholeAddress},
		{"deposit", LockHeightDeposit(testHash, 25200), PayKeyHashWithLockHeight, "MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve"},
		{"sequence lock", SequenceLock(testHash, 1000), PayKeyHashWithSequenceLock, "MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve"},
		{"attenuation", att, PayKeyHashWithAttenuationModel, "MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve"},
		{"attenuation direct push is not", attDirect, NonStandard, ""},
		{"single push quirk", mustHex(t, "0401020304"), SignPublicKey, ""},
		{"sign key hash", sigP2PKH, SignKeyHash, "MV35jawXLsNFM2MGMUKsJxoVsZx67oSJ6v"},
		{"sign deposit", sigDeposit, SignKeyHashWithLockHeight, "MV35jawXLsNFM2MGMUKsJxoVsZx67oSJ6v"},
		{"sign multisig", sigMS, SignMultisig, mvs.NewScriptHashAddress(mvs.Hash160(ms), p).String()},
		{"sign script hash", p2pkhRedeemSig, SignScriptHash, mvs.NewScriptHashAddress(mvs.Hash160(PayToPubKeyHash(testHash)), p).String()},
		{"empty", nil, NonStandard, ""},
		{"truncated", mustHex(t, "76a914"), NonStandard, ""},
		{"op_reserved is not a push", mustHex(t, "50"), NonStandard, ""},
		{"dup", mustHex(t, "76"), NonStandard, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Classify(tc.s); got != tc.class {
				t.Errorf("Classify(%s) = %v, want %v", tc.s, got, tc.class)
			}
			if got := IsStandardOutput(tc.s); got != (tc.class != NonStandard) {
				t.Errorf("IsStandardOutput = %v", got)
			}
			a, ok := tc.s.Address(p)
			got := ""
			if ok {
				got = a.String()
			}
			if got != tc.addr {
				t.Errorf("Address = %q, want %q", got, tc.addr)
			}
		})
	}
}

func TestBuildersAndExtractors(t *testing.T) {
	if got := PayToPubKeyHash(testHash).Hex(); got != "76a91461fde3bd4e6955c99b16de2d71e2a369888a1c0b88ac" {
		t.Errorf("P2PKH %s", got)
	}
	a, err := mvs.DecodeAddress("MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve", mvs.MainNet())
	if err != nil {
		t.Fatal(err)
	}
	if !PayToAddress(a).Equal(PayToPubKeyHash(testHash)) {
		t.Error("PayToAddress p2pkh")
	}
	bh, _ := mvs.DecodeAddress(mvs.BlackholeAddress, mvs.MainNet())
	if PayToAddress(bh).Hex() != "6a" || PayToAddress(mvs.Address{}) != nil {
		t.Error("PayToAddress blackhole/zero")
	}

	dep := LockHeightDeposit(testHash, 25200)
	if !strings.HasPrefix(dep.Hex(), "0270629d76a914") {
		t.Errorf("deposit %s", dep.Hex())
	}
	if h, ok := DepositLockHeight(dep); !ok || h != 25200 {
		t.Errorf("DepositLockHeight = %d %v", h, ok)
	}
	// 128 needs a sign byte: 02 8000.
	if h, ok := DepositLockHeight(LockHeightDeposit(testHash, 128)); !ok || h != 128 {
		t.Errorf("DepositLockHeight(128) = %d %v", h, ok)
	}
	sl := SequenceLock(testHash, 0x400000|100)
	if v, ok := SequenceLockValue(sl); !ok || v != 0x400000|100 {
		t.Errorf("SequenceLockValue = %x %v", v, ok)
	}
	if h, ok := SignatureScriptLockHeight(SignatureScriptDeposit(mustHex(t, testSig), mustHex(t, testPub), 7)); !ok || h != 7 {
		t.Errorf("SignatureScriptLockHeight = %d %v", h, ok)
	}

	op := OutPoint{Hash: mvs.Hash{1, 2, 3}, Index: 7}
	att, err := Attenuation(testHash, model1, op)
	if err != nil {
		t.Fatal(err)
	}
	if att[0] != byte(OP_PUSHDATA2) || att[1] != byte(len(model1)) || att[2] != 0 {
		t.Errorf("attenuation must use PUSHDATA2: %x", []byte(att[:3]))
	}
	m, gotOp, ok := AttenuationParams(att)
	if !ok || string(m) != model1 || gotOp != op {
		t.Errorf("AttenuationParams = %q %v %v", m, gotOp, ok)
	}
	nullAtt, _ := Attenuation(testHash, model1, NullOutPoint())
	if _, o, _ := AttenuationParams(nullAtt); !o.IsNull() || !strings.Contains(nullAtt.Hex(), "24"+strings.Repeat("00", 32)+"ffffffff") {
		t.Errorf("null outpoint: %s", nullAtt.Hex())
	}
	if _, err := Attenuation(testHash, "PN=0;TYPE=1", op); !errors.Is(err, ErrBuild) {
		t.Errorf("bad model accepted: %v", err)
	}

	k1 := mustHex(t, "03"+strings.Repeat("11", 32))
	k2 := mustHex(t, "02"+strings.Repeat("ff", 32))
	k3 := mustHex(t, "04"+strings.Repeat("00", 64))
	rs, err := MultisigRedeemScript(2, [][]byte{k1, k3, k2})
	if err != nil {
		t.Fatal(err)
	}
	mm, keys, ok := MultisigKeys(rs)
	if !ok || mm != 2 || !bytes.Equal(keys[0], k2) || !bytes.Equal(keys[1], k1) || !bytes.Equal(keys[2], k3) {
		t.Errorf("redeem keys not sorted: %s", rs)
	}
	if !strings.HasPrefix(rs.ASM(), "2 [ 02ff") || !strings.HasSuffix(rs.ASM(), "3 checkmultisig") {
		t.Errorf("redeem ASM %s", rs.ASM())
	}
	for _, bad := range []struct{ m, n int }{{0, 1}, {2, 1}, {1, 17}} {
		keys := make([][]byte, bad.n)
		for i := range keys {
			keys[i] = k1
		}
		if _, err := Multisig(bad.m, keys); !errors.Is(err, ErrBuild) {
			t.Errorf("Multisig(%d of %d) accepted", bad.m, bad.n)
		}
	}
	if _, err := NullDataScript(make([]byte, 76)); err == nil {
		t.Error("76-byte null data accepted")
	}
	if _, err := NewBuilder().AddPush(OP_PUSHDATA1, make([]byte, 256)).Script(); !errors.Is(err, ErrBuild) {
		t.Error("PUSHDATA1 of 256 bytes accepted")
	}
	if _, err := NewBuilder().AddOp(OP_PUSHDATA1).Script(); !errors.Is(err, ErrBuild) {
		t.Error("AddOp(PUSHDATA1) accepted")
	}
}

func TestModelParam(t *testing.T) {
	tests := []struct {
		param string
		typ   int
		ok    bool
	}{
		{model1, 1, true},
		{"PN=0;LH=20000;TYPE=2;LQ=9000;LP=60000;UN=3;UC=20000,20000,20000;UQ=3000,3000,3000", 2, true},
		{"PN=0;LH=1000;TYPE=3;LQ=20000000;LP=12000;UN=12;IR=8;UC=1000;UQ=5", 3, true},
		{"PN=0;LH=1000;TYPE=3;LQ=20000000;LP=12000;UN=12;IR=8", 0, false}, // type 3 needs UC, UQ outside issue
		{"PN=0;LH=20000;TYPE=0;LQ=9000;LP=60000;UN=3", 0, true},           // parses, but no model
		{"PN=0;LH=20000;TYPE=4;LQ=9000;LP=60000;UN=3", 0, true},
		{"PN=0;LH=20000;TYPE=257;LQ=9000;LP=60000;UN=3", 1, true}, // TYPE read as uint8
		{"PN=0;LH=20000;LQ=9000;LP=60000;UN=3;XX=1", 0, true},     // no TYPE: none
		{"PN=0;;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3", 1, true},  // ';' runs merge
		{"PN=0;LH=20000;TYPE==1;LQ=9000;LP=60000;UN=3", 1, true},  // '=' runs merge
		{"PN=0;LH=20000;TYPE=1;LQ=9000x;LP=60000;UN=3", 1, true},  // stoull stops at x
		{"PN=0;LH=20000;TYPE=1;LQ=;LP=60000;UN=3", 0, false},      // LQ unset: keys mismatch
		{"LH=20000;PN=0;TYPE=1;LQ=9000;LP=60000;UN=3", 0, false},  // order
		{"PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3;", 0, false}, // trailing ';' is an empty entry
		{"PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3;UN=3", 0, false},
		{"PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3;XX=1", 0, false},
		{"PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=x", 0, false},
		{"PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=1,2", 0, false},
		{"PN=0;LH=2 0000;TYPE=1;LQ=9000;LP=60000;UN=3", 0, false},
		{"PN=0;LH=20000;TYPE=2;LQ=9000;LP=60000;UN=3;UC=1,,2;UQ=3", 0, false},
		{"PN=0;LH=20000;TYPE=1;LQ=99999999999999999999;LP=60000;UN=3", 0, false},
		{"PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3=4", 0, false},
		{"PN=0;LH=1;TYPE=1;LQ=1;LP=1", 0, false},
		{"", 0, true},
	}
	for _, tc := range tests {
		typ, ok := ModelParamType([]byte(tc.param))
		if typ != tc.typ || ok != tc.ok {
			t.Errorf("ModelParamType(%q) = %d, %v; want %d, %v", tc.param, typ, ok, tc.typ, tc.ok)
		}
		if got := IsValidModelParam([]byte(tc.param)); got != (tc.ok && tc.typ != 0) {
			t.Errorf("IsValidModelParam(%q) = %v", tc.param, got)
		}
	}
}

func TestScriptNum(t *testing.T) {
	for _, tc := range []struct {
		n   int64
		hex string
	}{{0, ""}, {1, "01"}, {-1, "81"}, {127, "7f"}, {128, "8000"}, {-128, "8080"}, {255, "ff00"}, {256, "0001"},
		{25200, "7062"}, {0x7fffffff, "ffffff7f"}, {-0x7fffffff, "ffffffff"}, {0xffffffff, "ffffffff00"}} {
		b := NumBytes(tc.n)
		if hex.EncodeToString(b) != tc.hex {
			t.Errorf("NumBytes(%d) = %x, want %s", tc.n, b, tc.hex)
		}
		v, err := ParseNum(b, 5, true)
		if err != nil || v != tc.n {
			t.Errorf("ParseNum(%x) = %d, %v", b, v, err)
		}
	}
	if _, err := ParseNum([]byte{1, 0}, 4, true); err == nil {
		t.Error("non-minimal accepted with minimal")
	}
	if v, err := ParseNum([]byte{1, 0}, 4, false); err != nil || v != 1 {
		t.Error("non-minimal refused without minimal")
	}
	if v, _ := ParseNum([]byte{0x80}, 4, false); v != 0 {
		t.Error("negative zero")
	}
	if _, err := ParseNum(make([]byte, 5), 4, false); !errors.Is(err, ErrScriptNum) {
		t.Error("5-byte number accepted")
	}
}

func TestErrorCodesNamed(t *testing.T) {
	seen := map[string]ErrorCode{}
	for c := ErrorCode(1); c < numErrorCodes; c++ {
		name := c.String()
		if name == "" || strings.HasPrefix(name, "ErrorCode(") {
			t.Errorf("code %d has no name", int(c))
		}
		if prev, dup := seen[name]; dup {
			t.Errorf("codes %d and %d share the name %q", int(prev), int(c), name)
		}
		seen[name] = c
		err := error(&Error{Code: c, Offset: -1, Msg: "x"})
		if !errors.Is(err, c) {
			t.Errorf("errors.Is(%v, %v) false", err, c)
		}
		if c > 1 && errors.Is(err, c-1) {
			t.Errorf("errors.Is matches another code")
		}
	}
}

func TestClassNames(t *testing.T) {
	seen := map[string]bool{}
	for c := NonStandard; c <= PayKeyHashWithSequenceLock; c++ {
		n := c.String()
		if strings.HasPrefix(n, "Class(") || seen[n] {
			t.Errorf("class %d name %q", c, n)
		}
		seen[n] = true
	}
}

func TestOpcodeNames(t *testing.T) {
	// Every byte's node name parses back to that byte (direct pushes print as data instead).
	for i := 0; i < 256; i++ {
		op := Opcode(i)
		if op >= OP_DATA_1 && op <= OP_DATA_75 {
			continue
		}
		s, err := ParseASM(op.Name())
		if err != nil {
			t.Errorf("%#x %q: %v", i, op.Name(), err)
			continue
		}
		if s[0] != byte(i) {
			t.Errorf("%#x %q parsed as %x", i, op.Name(), []byte(s))
		}
	}
	if OP_CHECKATTENUATIONVERIFY.String() != "OP_CHECKATTENUATIONVERIFY" || Opcode(0xc0).String() != "OP_UNKNOWN192" {
		t.Error("String names")
	}
}

func TestSigOpCount(t *testing.T) {
	ms, _ := Multisig(2, [][]byte{mustHex(t, testPub), mustHex(t, testPub), mustHex(t, testPub)})
	if n := SigOpCount(ms, true); n != 3 {
		t.Errorf("accurate = %d", n)
	}
	if n := SigOpCount(ms, false); n != 20 {
		t.Errorf("legacy = %d", n)
	}
	if n := SigOpCount(PayToPubKeyHash(testHash), false); n != 1 {
		t.Errorf("p2pkh = %d", n)
	}
	sig := SignatureScriptMultisig([][]byte{mustHex(t, testSig)}, ms)
	p2sh := PayToScriptHash(mvs.Hash160(ms))
	for _, c := range []struct {
		name      string
		pk, sig   Script
		n         int
		blockGood bool
	}{
		{"p2sh", p2sh, sig, 3, true},
		{"not push-only: the node still reads the last operation", p2sh, append(Script{0x76}, sig...), 3, true},
		{"not p2sh: nothing", PayToPubKeyHash(testHash), sig, 0, true},
		{"last operation is not a push", p2sh, Script{0x00, 0xac}, 0, true},
		{"redeem script does not parse: block invalid", p2sh, Script{0x02, 0x4c, 0x05}, 0, false},
	} {
		n, ok := P2SHSigOpCount(c.pk, c.sig)
		if n != c.n || ok != c.blockGood {
			t.Errorf("%s: %d, %v; want %d, %v", c.name, n, ok, c.n, c.blockGood)
		}
	}
	// The node counts a script it cannot parse as one raw operation: no sigops.
	if n := SigOpCount(Script{0xac, 0xac, 0x4c}, false); n != 0 {
		t.Errorf("unparseable script counts %d", n)
	}
}

func TestRemoveCodeSeparators(t *testing.T) {
	s := Script(mustHex(t, "ab76ab02abab88ab"))
	if got := RemoveCodeSeparators(s).Hex(); got != "7602abab88" {
		t.Errorf("got %s", got)
	}
	p := PayToPubKeyHash(testHash)
	if got := RemoveCodeSeparators(p); &got[0] != &p[0] {
		t.Error("copied a script without separators")
	}
}
