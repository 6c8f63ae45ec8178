package mvs

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestAddressVectors(t *testing.T) {
	b, err := os.ReadFile("testdata/mvs-chain.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Addresses []struct {
			Hash160      string `json:"hash160"`
			MainnetP2PKH string `json:"mainnet_p2pkh"`
			TestnetP2PKH string `json:"testnet_p2pkh"`
			P2SH         string `json:"p2sh"`
		} `json:"addresses"`
	}
	if err := json.Unmarshal(b, &v); err != nil || len(v.Addresses) == 0 {
		t.Fatalf("vectors: %v", err)
	}
	for _, a := range v.Addresses {
		hb, _ := hex.DecodeString(a.Hash160)
		h := [20]byte(hb)
		cases := []struct {
			p    *Params
			got  Address
			want string
		}{
			{MainNet(), NewPubKeyHashAddress(h, MainNet()), a.MainnetP2PKH},
			{TestNet(), NewPubKeyHashAddress(h, TestNet()), a.TestnetP2PKH},
			{MainNet(), NewScriptHashAddress(h, MainNet()), a.P2SH},
			{TestNet(), NewScriptHashAddress(h, TestNet()), a.P2SH},
		}
		for _, c := range cases {
			if c.got.String() != c.want {
				t.Errorf("%s: encode %s, want %s", c.p.Name, c.got, c.want)
			}
			d, err := DecodeAddress(c.want, c.p)
			if err != nil || d != c.got {
				t.Errorf("%s: decode %s: %+v %v", c.p.Name, c.want, d, err)
			}
		}
	}
}

func TestDecodeAddressErrors(t *testing.T) {
	main := "MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve"
	tests := []struct {
		name string
		in   string
		p    *Params
		want error
	}{
		{"mainnet on testnet", main, TestNet(), ErrAddressNetwork},
		{"testnet on mainnet", "tFrjjxXTpqg6pUY96ZdbmfFQMadx7wGWdn", MainNet(), ErrAddressNetwork},
		{"bitcoin p2pkh", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", MainNet(), ErrAddressNetwork},
		{"bad checksum", main[:len(main)-1] + "f", MainNet(), ErrChecksum},
		{"bad character", "MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRv0", MainNet(), ErrBase58},
		{"empty", "", MainNet(), ErrChecksum},
		{"short", Base58CheckEncode([]byte{0x32, 1, 2}), MainNet(), ErrAddressLength},
		{"too long", strings.Repeat("z", 300), MainNet(), ErrBase58},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeAddress(tc.in, tc.p)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	a, err := DecodeAddress(BlackholeAddress, MainNet())
	if err != nil || a.Kind != Blackhole || a.String() != BlackholeAddress {
		t.Fatalf("blackhole: %+v %v", a, err)
	}
}

func TestBase58LeadingZeros(t *testing.T) {
	for _, in := range [][]byte{nil, {0}, {0, 0, 1}, {0, 0xff, 0xff}, {1, 2, 3, 4, 5}} {
		out, err := Base58Decode(Base58Encode(in))
		if err != nil || hex.EncodeToString(out) != hex.EncodeToString(in) {
			t.Errorf("%x: got %x %v", in, out, err)
		}
	}
	if Base58Encode([]byte{0, 0, 1}) != "112" {
		t.Errorf("leading zeros: %s", Base58Encode([]byte{0, 0, 1}))
	}
}

func TestAmounts(t *testing.T) {
	tests := []struct {
		in   string
		want Amount
		err  error
	}{
		{"0", 0, nil},
		{"1", 100_000_000, nil},
		{"1.5", 150_000_000, nil},
		{"0.00000001", 1, nil},
		{"100000000", MaxMoney, nil},
		{"0.0001", 10_000, nil},
		{"100000000.00000001", 0, ErrAmountRange}, // above the money supply
		{"184467440737.09551615", 0, ErrAmountRange},
		{"184467440737.09551616", 0, ErrAmountRange},
		{"0.000000001", 0, ErrAmountFormat},
		{"-1", 0, ErrAmountFormat},
		{".5", 50_000_000, nil}, // what people type
		{" 2.25\n", 225_000_000, nil},
		{"5.", 500_000_000, nil},
		{".", 0, ErrAmountFormat},
		{"1,000", 0, ErrAmountFormat},
		{"1e8", 0, ErrAmountFormat},
		{"", 0, ErrAmountFormat},
	}
	for _, tc := range tests {
		got, err := ParseETP(tc.in)
		if !errors.Is(err, tc.err) || got != tc.want {
			t.Errorf("ParseETP(%q) = %d, %v; want %d, %v", tc.in, got, err, tc.want, tc.err)
		}
	}
	for _, tc := range []struct {
		v    uint64
		d    uint8
		want string
	}{{0, 8, "0"}, {1, 8, "0.00000001"}, {150_000_000, 8, "1.5"}, {4244540000, 4, "424454"}, {12345, 0, "12345"}, {12345, 6, "0.012345"}} {
		if got := FormatUnits(tc.v, tc.d); got != tc.want {
			t.Errorf("FormatUnits(%d,%d) = %s, want %s", tc.v, tc.d, got, tc.want)
		}
	}
	for _, tc := range []struct {
		a    Amount
		want string
	}{{0, "0.00000000"}, {1, "0.00000001"}, {150_000_000, "1.50000000"}, {MaxMoney, "100000000.00000000"}, {10_000, "0.00010000"}} {
		if got := tc.a.Fixed(); got != tc.want {
			t.Errorf("Amount(%d).Fixed() = %s, want %s", uint64(tc.a), got, tc.want)
		}
		if back, err := ParseETP(tc.want); err != nil || back != tc.a {
			t.Errorf("ParseETP(%s) = %d, %v", tc.want, back, err)
		}
	}
	if v, err := ParseUnits("184467440737.09551615", 8); err != nil || v != 18446744073709551615 {
		t.Errorf("ParseUnits max u64 = %d, %v", v, err)
	}
	if _, ok := MaxMoney.Add(^Amount(0)); ok {
		t.Error("overflow not reported")
	}
	if _, ok := Amount(1).Sub(2); ok {
		t.Error("underflow not reported")
	}
}

func TestAddressText(t *testing.T) {
	const main, test = "MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve", "tFrjjxXTpqg6pUY96ZdbmfFQMadx7wGWdn"
	type holder struct {
		A Address `json:"a"`
	}
	for _, tc := range []struct {
		in   string
		kind AddressKind
		nets string
	}{
		{main, PubKeyHash, "mainnet"},
		{test, PubKeyHash, "testnet,regtest"},
		{"3Ad9ciAKCq9D3bXa7NzicN3Ra3CsUTihXH", ScriptHash, "mainnet,testnet,regtest"},
		{BlackholeAddress, Blackhole, "mainnet,testnet,regtest"},
	} {
		var h holder
		if err := json.Unmarshal([]byte(`{"a":"`+tc.in+`"}`), &h); err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if h.A.Kind != tc.kind || h.A.String() != tc.in || strings.Join(h.A.Networks(), ",") != tc.nets {
			t.Errorf("%s: kind %v, %s, networks %v", tc.in, h.A.Kind, h.A, h.A.Networks())
		}
		out, err := json.Marshal(h)
		if err != nil || string(out) != `{"a":"`+tc.in+`"}` {
			t.Errorf("%s: marshal %s %v", tc.in, out, err)
		}
	}
	for _, bad := range []string{`{"a":"1BoatSLRHtKNngkdXEeobR76b53LETtpyT"}`, `{"a":"MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRvf"}`, `{"a":""}`} {
		var h holder
		if err := json.Unmarshal([]byte(bad), &h); err == nil {
			t.Errorf("%s accepted as %v", bad, h.A)
		}
	}
	var zero Address
	if zero.String() == BlackholeAddress || zero.BelongsTo(MainNet()) || len(zero.Networks()) != 0 {
		t.Errorf("zero Address reads as %q, belongs %v", zero.String(), zero.Networks())
	}
	if _, err := json.Marshal(holder{}); err == nil {
		t.Error("zero Address marshalled")
	}
	a, _ := DecodeAddress(main, MainNet())
	if !a.BelongsTo(MainNet()) || a.BelongsTo(TestNet()) || a.BelongsTo(nil) {
		t.Error("BelongsTo")
	}
	_, err := DecodeAddress(test, MainNet())
	var ne *AddressNetworkError
	if !errors.Is(err, ErrAddressNetwork) || !errors.As(err, &ne) || strings.Join(ne.Networks, ",") != "testnet,regtest" ||
		ne.Want != "mainnet" || !strings.Contains(err.Error(), "not a mainnet one") {
		t.Errorf("testnet address on mainnet: %v", err)
	}
	_, err = DecodeAddress("1BoatSLRHtKNngkdXEeobR76b53LETtpyT", MainNet())
	if !errors.As(err, &ne) || len(ne.Networks) != 0 {
		t.Errorf("bitcoin address: %v", err)
	}
	if _, err := DecodeAddress(main, nil); !errors.Is(err, ErrNoParams) {
		t.Errorf("nil params: %v", err)
	}
}

func TestHashText(t *testing.T) {
	s := "b81848ef9ae86e84c3da26564bc6ab3a79efc628239d11471ab5cd25c0684c2d"
	h, err := ParseHash(s)
	if err != nil || h.String() != s || h[0] != 0x2d {
		t.Fatalf("%v %v", h, err)
	}
	b, _ := json.Marshal(h)
	var back Hash
	if err := json.Unmarshal(b, &back); err != nil || back != h {
		t.Fatalf("json: %s %v", b, err)
	}
	for _, bad := range []string{"", "zz", s[:62], s + "00", strings.Replace(s, "b", "g", 1)} {
		if _, err := ParseHash(bad); !errors.Is(err, ErrHashFormat) {
			t.Errorf("ParseHash(%q): %v", bad, err)
		}
	}
}

func TestParams(t *testing.T) {
	for _, name := range []string{"mainnet", "testnet", "regtest"} {
		p, err := ParamsByName(name)
		if err != nil || p.Name != name || p.Checkpoints[0].Hash != p.GenesisHash {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := DecodeAddress(p.DeveloperAddress, p); err != nil {
			t.Errorf("%s developer address: %v", name, err)
		}
	}
	a, b := MainNet(), MainNet()
	a.Checkpoints[0].Hash[0] ^= 1
	if b.Checkpoints[0].Hash == a.Checkpoints[0].Hash {
		t.Fatal("params share state between calls")
	}
	if _, err := ParamsByName("bitcoin"); !errors.Is(err, ErrUnknownNetwork) {
		t.Fatal(err)
	}
	// RegTest pays its genesis to hash160 of private key 1's compressed public key.
	g, _ := hex.DecodeString("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
	if Hash160(g) != regTestKeyHash {
		t.Fatal("regtest key hash")
	}
}

func FuzzDecodeAddress(f *testing.F) {
	for _, s := range []string{"MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve", "3Ad9ciAKCq9D3bXa7NzicN3Ra3CsUTihXH", BlackholeAddress, "", "1"} {
		f.Add(s)
	}
	p := MainNet()
	f.Fuzz(func(t *testing.T, s string) {
		// Text without a network: whatever UnmarshalText accepts prints back to s and belongs
		// to the networks it names.
		var u Address
		if u.UnmarshalText([]byte(s)) == nil {
			if u.String() != s || len(u.Networks()) == 0 {
				t.Fatalf("%q unmarshals to %+v, prints %q, networks %v", s, u, u.String(), u.Networks())
			}
		}
		a, err := DecodeAddress(s, p)
		if err != nil {
			return
		}
		// Round trip: a decoded address re-encodes to a string that decodes to it.
		again, err := DecodeAddress(a.String(), p)
		if err != nil || again != a {
			t.Fatalf("%q -> %+v -> %q -> %v", s, a, a.String(), err)
		}
	})
}

func FuzzParseETP(f *testing.F) {
	for _, s := range []string{"1", "1.5", "0.00000001", "100000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseETP(s)
		if err != nil {
			return
		}
		back, err := ParseETP(v.String())
		if err != nil || back != v {
			t.Fatalf("%q -> %d -> %q -> %d %v", s, v, v.String(), back, err)
		}
	})
}
