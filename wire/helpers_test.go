package wire_test

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/netip"
	"os"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wire"
)

// realData is the chain data of testdata/ (real mainnet blocks and transactions).
type realData struct {
	blocks []*block.Block
	txs    []*tx.Tx
	// rawBlocks and rawTxs are the exact bytes.
	rawBlocks [][]byte
	rawTxs    [][]byte
}

func loadReal(tb testing.TB) *realData {
	tb.Helper()
	var rb struct {
		Blocks []struct{ Raw string } `json:"blocks"`
	}
	var ch struct {
		Genesis      map[string]struct{ Raw string } `json:"genesis"`
		Transactions []struct{ Raw string }          `json:"transactions"`
	}
	readJSON(tb, "testdata/real-blocks.json", &rb)
	readJSON(tb, "testdata/mvs-chain.json", &ch)
	d := &realData{}
	raws := []string{ch.Genesis["mainnet"].Raw}
	for _, b := range rb.Blocks {
		raws = append(raws, b.Raw)
	}
	for _, s := range raws {
		raw := mustHex(tb, s)
		b, err := block.Decode(raw)
		if err != nil {
			tb.Fatal(err)
		}
		d.blocks, d.rawBlocks = append(d.blocks, b), append(d.rawBlocks, raw)
	}
	for _, t := range ch.Transactions {
		raw := mustHex(tb, t.Raw)
		x, err := tx.Decode(raw)
		if err != nil {
			tb.Fatal(err)
		}
		d.txs, d.rawTxs = append(d.txs, x), append(d.rawTxs, raw)
	}
	return d
}

func readJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		tb.Fatal(err)
	}
}

func mustHex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func hashOf(b byte) mvs.Hash {
	var h mvs.Hash
	for i := range h {
		h[i] = b + byte(i)
	}
	return h
}

func addr(s string, services uint64, ts uint32) wire.NetAddress {
	na := wire.NewNetAddress(netip.MustParseAddrPort(s), services)
	na.Timestamp = ts
	return na
}

// sample is one populated message and the protocol versions it exists at.
type sample struct {
	name  string
	msg   wire.Message
	pvers []uint32
}

var (
	allVersions = []uint32{wire.ProtocolVersion, wire.BIP0061Version, wire.BIP0037Version, wire.BIP0031Version, wire.HeadersVersion, wire.MinimumVersion}
	bip152      = []uint32{wire.BIP0152Version}
)

// versionsFrom is allVersions at or above min.
func versionsFrom(min uint32) []uint32 {
	var v []uint32
	for _, p := range allVersions {
		if p >= min {
			v = append(v, p)
		}
	}
	return v
}

func samples(tb testing.TB) []sample {
	d := loadReal(tb)
	hdr := d.blocks[1].Header
	version := &wire.MsgVersion{ProtocolVersion: wire.ProtocolVersion, Services: 1, Timestamp: 1585509085,
		AddrRecv: addr("95.116.169.107:58616", 1, 0), AddrFrom: addr("[2001:db8::1]:5251", 0, 0),
		Nonce: 0x9e658b6e0dba4efa, UserAgent: "/metaverse:0.9.0/", StartHeight: 3514519, Relay: true}
	inv := []wire.InvVect{{Type: wire.InvTypeBlock, Hash: hashOf(1)}, {Type: wire.InvTypeTx, Hash: hashOf(2)},
		{Type: wire.InvTypeFilteredBlock, Hash: hashOf(3)}, {Type: 7, Hash: hashOf(4)}}
	locator := []mvs.Hash{hashOf(10), hashOf(20), hashOf(30)}
	return []sample{
		{"version", version, []uint32{wire.ProtocolVersion, wire.BIP0061Version, wire.BIP0031Version, wire.MinimumVersion}},
		{"verack", &wire.MsgVerAck{}, allVersions},
		{"addr", &wire.MsgAddr{AddrList: []wire.NetAddress{addr("1.2.3.4:5251", 1, 1585509085),
			{IP: netip.IPv6Unspecified()}, addr("[2001:db8::2]:15251", 9, 7)}}, allVersions},
		{"addr empty", &wire.MsgAddr{AddrList: []wire.NetAddress{}}, allVersions},
		{"getaddr", &wire.MsgGetAddr{}, allVersions},
		{"inv", &wire.MsgInv{InvList: inv}, allVersions},
		{"getdata", &wire.MsgGetData{InvList: inv[:2]}, allVersions},
		{"notfound", &wire.MsgNotFound{InvList: inv[:1]}, versionsFrom(wire.BIP0037Version)},
		{"getblocks", &wire.MsgGetBlocks{ProtocolVersion: wire.ProtocolVersion, BlockLocatorHashes: locator, HashStop: hashOf(99)}, allVersions},
		{"getheaders", &wire.MsgGetHeaders{ProtocolVersion: 31800, BlockLocatorHashes: locator[:1]}, versionsFrom(wire.HeadersVersion)},
		{"headers", &wire.MsgHeaders{Headers: []wire.HeaderWithCount{{Header: d.blocks[0].Header}, {Header: hdr, TxCount: 2}, {Header: d.blocks[2].Header, TxCount: 300}}}, versionsFrom(wire.HeadersVersion)},
		{"block pow", &wire.MsgBlock{Block: *d.blocks[1]}, allVersions},
		{"block pos", &wire.MsgBlock{Block: *d.blocks[2]}, allVersions},
		{"tx", &wire.MsgTx{Tx: *d.txs[0]}, allVersions},
		{"tx mit did", &wire.MsgTx{Tx: *d.txs[3]}, allVersions},
		{"ping", &wire.MsgPing{Nonce: 0x3dba287416071c25}, versionsFrom(wire.BIP0031Version)},
		{"pong", &wire.MsgPong{Nonce: 0x3dba287416071c25}, allVersions},
		{"mempool", &wire.MsgMemPool{}, versionsFrom(wire.BIP0035Version)},
		{"sendheaders", &wire.MsgSendHeaders{}, versionsFrom(wire.BIP0130Version)},
		{"reject tx", &wire.MsgReject{Message: "tx", Code: wire.RejectDust, Reason: "dust", Hash: hashOf(5)}, versionsFrom(wire.BIP0061Version)},
		{"reject version", &wire.MsgReject{Message: "version", Code: wire.RejectObsolete, Reason: "old"}, versionsFrom(wire.BIP0061Version)},
		{"filterload", &wire.MsgFilterLoad{Filter: wire.HexBytes{1, 2, 3}, HashFuncs: 11, Tweak: 0xdeadbeef, Flags: 1}, versionsFrom(wire.BIP0037Version)},
		{"filteradd", &wire.MsgFilterAdd{Data: wire.HexBytes{0xaa, 0xbb}}, versionsFrom(wire.BIP0037Version)},
		{"filterclear", &wire.MsgFilterClear{}, versionsFrom(wire.BIP0037Version)},
		{"merkleblock", &wire.MsgMerkleBlock{Header: hdr, TxCount: 1, Hashes: []mvs.Hash{hashOf(6)}, Flags: wire.HexBytes{1}}, versionsFrom(wire.BIP0037Version)},
		{"sendcmpct", &wire.MsgSendCmpct{HighBandwidth: true, Version: 1}, bip152},
		{"cmpctblock", &wire.MsgCmpctBlock{Header: hdr, Nonce: 42, ShortIDs: []wire.ShortID{{1, 2, 3, 4, 5, 6}},
			PrefilledTxs: []wire.PrefilledTx{{Index: 0, Tx: d.blocks[1].Transactions[0]}, {Index: 3, Tx: *d.txs[1]}}}, bip152},
		{"getblocktxn", &wire.MsgGetBlockTxn{BlockHash: hashOf(7), Indexes: []uint64{0, 1, 300, 70000}}, allVersions},
		{"blocktxn", &wire.MsgBlockTxn{BlockHash: hashOf(8), Transactions: []tx.Tx{*d.txs[0], *d.txs[2]}}, bip152},
	}
}

// fixedWriter accepts max bytes in total and fails after that.
type fixedWriter struct {
	n, max int
}

var errWriterFull = errors.New("fixed writer full")

func (w *fixedWriter) Write(p []byte) (int, error) {
	if w.n+len(p) > w.max {
		k := w.max - w.n
		w.n = w.max
		return k, errWriterFull
	}
	w.n += len(p)
	return len(p), nil
}

// fixedReader returns b and then fails with errReaderBroken (not io.EOF), like a
// connection that breaks.
type fixedReader struct {
	b []byte
}

var errReaderBroken = errors.New("fixed reader broken")

func (r *fixedReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, errReaderBroken
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

var _ io.Reader = (*fixedReader)(nil)
