package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wire"
)

// wireSamples is one message of every command, with the protocol version to frame it at.
func wireSamples(t *testing.T) []struct {
	msg  wire.Message
	pver uint32
} {
	t.Helper()
	decodeBlock := func(name string) *block.Block {
		b, err := block.Decode(mustHexT(t, readTestdata(t, name)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	pow, pos := decodeBlock("mainnet-block-2200000.hex"), decodeBlock("mainnet-block-3588504.hex")
	mst, err := tx.Decode(mustHexT(t, readTestdata(t, "mainnet-mst-transfer.hex")))
	if err != nil {
		t.Fatal(err)
	}
	h := func(b byte) (x mvs.Hash) {
		for i := range x {
			x[i] = b ^ byte(i)
		}
		return x
	}
	na := func(s string, ts uint32) wire.NetAddress {
		a := wire.NewNetAddress(netip.MustParseAddrPort(s), 1)
		a.Timestamp = ts
		return a
	}
	inv := []wire.InvVect{{Type: wire.InvTypeBlock, Hash: h(1)}, {Type: wire.InvTypeTx, Hash: h(2)}, {Type: 9, Hash: h(3)}}
	const p, c = wire.ProtocolVersion, wire.BIP0152Version
	return []struct {
		msg  wire.Message
		pver uint32
	}{
		{&wire.MsgVersion{ProtocolVersion: p, Services: 1, Timestamp: 1585509085, AddrRecv: na("95.116.169.107:58616", 0),
			AddrFrom: na("[2001:db8::1]:5251", 0), Nonce: 1<<64 - 2, UserAgent: "/mvsgo:0.1/", StartHeight: 9, Relay: true}, p},
		{&wire.MsgVerAck{}, p},
		{&wire.MsgAddr{AddrList: []wire.NetAddress{na("1.2.3.4:5251", 1585509085), {IP: netip.IPv6Unspecified()}}}, p},
		{&wire.MsgGetAddr{}, p},
		{&wire.MsgInv{InvList: inv}, p},
		{&wire.MsgGetData{InvList: inv[:1]}, p},
		{&wire.MsgNotFound{InvList: inv[1:]}, p},
		{&wire.MsgGetBlocks{ProtocolVersion: p, BlockLocatorHashes: []mvs.Hash{h(4), h(5)}, HashStop: h(6)}, p},
		{&wire.MsgGetHeaders{ProtocolVersion: 31800, BlockLocatorHashes: []mvs.Hash{h(7)}}, p},
		{&wire.MsgHeaders{Headers: []wire.HeaderWithCount{{Header: pow.Header, TxCount: 1}, {Header: pos.Header}}}, p},
		{&wire.MsgBlock{Block: *pow}, p},
		{&wire.MsgBlock{Block: *pos}, p},
		{&wire.MsgTx{Tx: *mst}, p},
		{&wire.MsgPing{Nonce: 77}, p},
		{&wire.MsgPong{Nonce: 77}, p},
		{&wire.MsgMemPool{}, p},
		{&wire.MsgSendHeaders{}, p},
		{&wire.MsgReject{Message: "block", Code: wire.RejectInvalid, Reason: "bad-pow", Hash: h(8)}, p},
		{&wire.MsgReject{Message: "version", Code: wire.RejectObsolete, Reason: "old"}, p},
		{&wire.MsgFilterLoad{Filter: wire.HexBytes{1, 2}, HashFuncs: 3, Tweak: 4, Flags: 1}, p},
		{&wire.MsgFilterAdd{Data: wire.HexBytes{5}}, p},
		{&wire.MsgFilterClear{}, p},
		{&wire.MsgMerkleBlock{Header: pos.Header, TxCount: 2, Hashes: []mvs.Hash{h(9)}, Flags: wire.HexBytes{3}}, p},
		{&wire.MsgSendCmpct{HighBandwidth: true, Version: 1}, c},
		{&wire.MsgCmpctBlock{Header: pow.Header, Nonce: 5, ShortIDs: []wire.ShortID{{1, 2, 3, 4, 5, 6}},
			PrefilledTxs: []wire.PrefilledTx{{Index: 0, Tx: pow.Transactions[0]}}}, c},
		{&wire.MsgGetBlockTxn{BlockHash: h(10), Indexes: []uint64{0, 2}}, p},
		{&wire.MsgBlockTxn{BlockHash: h(11), Transactions: []tx.Tx{*mst}}, c},
	}
}

func mustHexT(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func frameHex(t *testing.T, m wire.Message, pver, magic uint32) string {
	t.Helper()
	var b bytes.Buffer
	if err := wire.WriteMessage(&b, m, pver, magic); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b.Bytes())
}

// wire decode then wire encode gives back the same bytes, for every command, on each
// network; the JSON names the command and the network and says the checksum matched.
func TestWireRoundTripEveryCommand(t *testing.T) {
	seen := map[string]bool{}
	for _, net := range []string{"mainnet", "testnet"} {
		p, _ := mvs.ParamsByName(net)
		for _, s := range wireSamples(t) {
			seen[s.msg.Command()] = true
			raw := frameHex(t, s.msg, s.pver, p.Magic)
			args := []string{"wire", "decode", raw}
			if s.pver != wire.ProtocolVersion {
				args = append(args, "--pver", "70014")
			}
			out, errOut, code := runCLI(t, "", args...)
			if code != 0 {
				t.Fatalf("%s decode: exit %d: %s", s.msg.Command(), code, errOut)
			}
			var j map[string]any
			if err := json.Unmarshal([]byte(out), &j); err != nil {
				t.Fatal(err)
			}
			if j["command"] != s.msg.Command() || j["network"] != net || j["checksum_ok"] != true || j["payload"] == nil {
				t.Fatalf("%s: %v", s.msg.Command(), j)
			}
			back, errOut, code := runCLI(t, out, "wire", "encode", "-")
			if code != 0 || strings.TrimSpace(back) != raw {
				t.Fatalf("%s encode: exit %d %s\n%s\nwant\n%s", s.msg.Command(), code, errOut, back, raw)
			}
		}
	}
	if len(seen) != len(wire.Commands()) {
		t.Fatalf("%d commands covered, want %d", len(seen), len(wire.Commands()))
	}
}

// Field names are snake_case and hashes are in display order.
func TestWireDecodeJSONShape(t *testing.T) {
	m := &wire.MsgGetData{}
	hash, _ := mvs.ParseHash("436063323d6b2653dfabb46af99d0273bc2ca136c3b72f5b0a95b95657dccbc6")
	m.AddInvVect(wire.InvVect{Type: wire.InvTypeBlock, Hash: hash})
	raw := frameHex(t, m, wire.ProtocolVersion, mvs.MainNet().Magic)
	// The metaversejs-p2p capture of the same message.
	if raw != "4d56534d676574646174610000000000250000007c9e59f10102000000c6cbdc5756b9950a5b2fb7c336a12cbc73029df96ab4abdf53266b3d32636043" {
		t.Fatalf("framed %s", raw)
	}
	out, _, code := runCLI(t, "", "wire", "decode", raw)
	for _, want := range []string{`"magic": "0x4d53564d"`, `"length": 37`, `"checksum": "7c9e59f1"`, `"inventory": [`,
		`"type": "block"`, `"hash": "436063323d6b2653dfabb46af99d0273bc2ca136c3b72f5b0a95b95657dccbc6"`} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("missing %s in\n%s", want, out)
		}
	}
	out, _, _ = runCLI(t, "", "wire", "decode", frameHex(t, &wire.MsgVersion{ProtocolVersion: 70012}, 70012, mvs.MainNet().Magic))
	for _, want := range []string{`"user_agent"`, `"start_height"`, `"receiver"`, `"sender"`} {
		if !strings.Contains(out, want) {
			t.Fatalf("missing %s in\n%s", want, out)
		}
	}
}

// Each failure is one plain line on stderr and exit status 1.
func TestWireDecodeErrors(t *testing.T) {
	main := mvs.MainNet().Magic
	ping := frameHex(t, &wire.MsgPing{Nonce: 1}, wire.ProtocolVersion, main)
	badSum := ping[:40] + "00000000" + ping[48:]
	unknown := "4d56534d" + hex.EncodeToString([]byte("feefilter\x00\x00\x00")) + "00000000" + "5df6e0e2"
	trailing := frameHex(t, &wire.MsgFilterAdd{Data: wire.HexBytes{1}}, wire.ProtocolVersion, main)
	// Change the varint to 0: the data byte is then left over.
	trailingRaw := mustHexT(t, trailing)
	trailingRaw[24] = 0
	sum := wire.Checksum(trailingRaw[24:])
	copy(trailingRaw[20:], sum[:])
	cases := []struct {
		name string
		args []string
		want string
		json bool
	}{
		{"not hex", []string{"zz"}, "not hex", false},
		{"short", []string{"4d56534d"}, "at least the 24-byte header", false},
		{"zero header", []string{strings.Repeat("00", 24)}, "all-zero message header", false},
		{"wrong --net", []string{ping, "--net", "testnet"}, "wrong network magic", false},
		{"unknown magic", []string{"01020304" + ping[8:]}, "no known network", false},
		{"length mismatch", []string{ping + "00"}, "8-byte payload", false},
		{"bad checksum", []string{badSum}, "checksum mismatch", true},
		{"unknown command", []string{unknown}, `unknown command "feefilter"`, true},
		{"trailing bytes", []string{hex.EncodeToString(trailingRaw)}, "trailing bytes", false},
		{"below its version", []string{frameHex(t, &wire.MsgSendCmpct{}, wire.BIP0152Version, main)}, "needs protocol 70014", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", append([]string{"wire", "decode"}, c.args...)...)
			if code != 1 || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "mvs-cli: ") {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			if strings.Contains(errOut, "wire: ") {
				t.Fatalf("library prefix in %q", errOut)
			}
			if c.json != (out != "") {
				t.Fatalf("stdout %q", out)
			}
		})
	}
	// The bad-checksum JSON says so.
	out, _, _ := runCLI(t, "", "wire", "decode", badSum)
	if !strings.Contains(out, `"checksum_ok": false`) {
		t.Fatal(out)
	}
}

func TestWireEncodeErrors(t *testing.T) {
	dir := t.TempDir()
	file := func(s string) string {
		f := filepath.Join(dir, "m.json")
		if err := os.WriteFile(f, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	cases := []struct {
		name, json, want string
		extra            []string
	}{
		{"unknown field", `{"command":"verack","bogus":1}`, `unknown field "bogus"`, nil},
		{"no command", `{"payload":{}}`, `missing "command"`, nil},
		{"unknown command", `{"command":"feefilter","payload":{}}`, "unknown command", nil},
		{"checksum contradicts", `{"command":"ping","checksum":"00000000","payload":{"nonce":1}}`, "drop \"checksum\"", nil},
		{"length contradicts", `{"command":"ping","length":9,"payload":{"nonce":1}}`, "drop \"length\"", nil},
		{"network and magic disagree", `{"command":"verack","network":"testnet","magic":"0x4d53564d"}`, "is not testnet's", nil},
		{"magic and --net disagree", `{"command":"verack","network":"testnet"}`, "not --net mainnet's", []string{"--net", "mainnet"}},
		{"both payloads", `{"command":"ping","payload":{"nonce":1},"payload_hex":"00"}`, "give one", nil},
		{"bad field type", `{"command":"ping","payload":{"nonce":"x"}}`, `"nonce"`, nil},
		{"header hash contradicts", `{"command":"headers","payload":{"headers":[{"hash":"00","version":1,"height":1,"previous_block_hash":"` + strings.Repeat("0", 64) + `","merkle_root":"` + strings.Repeat("0", 64) + `","timestamp":1,"bits":"1","nonce":"1","mixhash":"` + strings.Repeat("0", 64) + `","tx_count":0}]}}`, "drop it after editing", nil},
		{"too low a version", `{"command":"sendcmpct","payload":{"high_bandwidth":true,"version":1}}`, "needs protocol 70014", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, "", append([]string{"wire", "encode", file(c.json)}, c.extra...)...)
			if code != 1 || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
		})
	}
	// A minimal JSON: an empty payload may be left out; --net picks the magic.
	out, errOut, code := runCLI(t, "", "wire", "encode", file(`{"command":"verack"}`), "--net", "testnet")
	if code != 0 || strings.TrimSpace(out) != "746d767376657261636b000000000000000000005df6e0e2" {
		t.Fatalf("%d %s %s", code, out, errOut)
	}
	// payload_hex carries an unknown command through unchanged.
	unknown := "4d56534d" + hex.EncodeToString([]byte("feefilter\x00\x00\x00")) + "00000000" + "5df6e0e2"
	j, _, _ := runCLI(t, "", "wire", "decode", unknown)
	if out, _, code := runCLI(t, j, "wire", "encode", "-"); code != 0 || strings.TrimSpace(out) != unknown {
		t.Fatalf("unknown command round trip: %d %s", code, out)
	}
	if _, errOut, code := runCLI(t, "", "wire", "encode"); code != 1 || !strings.Contains(errOut, "missing FILE") {
		t.Fatalf("no FILE: %d %s", code, errOut)
	}
}

func TestWireHelp(t *testing.T) {
	for _, args := range [][]string{{"wire", "--help"}, {"wire", "decode", "--help"}, {"wire", "encode", "--help"}} {
		out, errOut, code := runCLI(t, "", args...)
		if code != 0 || !strings.HasPrefix(out, "Usage:") || errOut != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	out, _, _ := runCLI(t, "", "wire", "decode", "--help")
	for _, f := range []string{"--net", "--pver"} {
		if !strings.Contains(out, f) {
			t.Errorf("decode help lacks %s", f)
		}
	}
}
