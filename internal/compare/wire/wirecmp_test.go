package wirecmp

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/chainhash"
	btcwire "github.com/btcsuite/btcd/wire"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wire"
)

const pver = 70012

// codecs abstracts one library's messages for the benchmark loops.
type pair struct {
	name string
	mvs  wire.Message
	btcd btcwire.Message
}

func loadJSON(tb testing.TB, path string, v any) {
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		tb.Fatal(err)
	}
}

func mustHex(tb testing.TB, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// twinTx is t without attachments, as a btcd transaction.
func twinTx(t *tx.Tx) *btcwire.MsgTx {
	m := btcwire.NewMsgTx(int32(t.Version))
	for _, in := range t.Inputs {
		m.AddTxIn(&btcwire.TxIn{PreviousOutPoint: btcwire.OutPoint{Hash: chainhash.Hash(in.PreviousOutput.Hash), Index: in.PreviousOutput.Index},
			SignatureScript: in.Script, Sequence: in.Sequence})
	}
	for _, o := range t.Outputs {
		m.AddTxOut(&btcwire.TxOut{Value: int64(o.Value), PkScript: o.Script})
	}
	m.LockTime = t.LockTime
	return m
}

func pairs(tb testing.TB) []pair {
	var rb struct {
		Blocks []struct{ Raw string } `json:"blocks"`
	}
	var ch struct {
		Transactions []struct{ Raw string } `json:"transactions"`
	}
	loadJSON(tb, "testdata/real-blocks.json", &rb)
	loadJSON(tb, "testdata/mvs-chain.json", &ch)
	blk, err := block.Decode(mustHex(tb, rb.Blocks[1].Raw)) // PoS block 3588504
	if err != nil {
		tb.Fatal(err)
	}
	t0, err := tx.Decode(mustHex(tb, ch.Transactions[0].Raw))
	if err != nil {
		tb.Fatal(err)
	}

	ua := "/metaverse:0.9.0/"
	mv := &wire.MsgVersion{ProtocolVersion: pver, Services: 1, Timestamp: 1585509085,
		AddrRecv: wire.NewNetAddress(netip.MustParseAddrPort("95.116.169.107:58616"), 1),
		AddrFrom: wire.NewNetAddress(netip.MustParseAddrPort("198.199.84.199:5251"), 0),
		Nonce:    0x9e658b6e0dba4efa, UserAgent: ua, StartHeight: 3514519, Relay: true}
	bv := btcwire.NewMsgVersion(
		btcwire.NewNetAddressIPPort(net.ParseIP("95.116.169.107"), 58616, 1),
		btcwire.NewNetAddressIPPort(net.ParseIP("198.199.84.199"), 5251, 0),
		0x9e658b6e0dba4efa, 3514519)
	bv.ProtocolVersion, bv.Timestamp, bv.UserAgent, bv.Services = pver, time.Unix(1585509085, 0), ua, 1

	minv := &wire.MsgInv{InvList: make([]wire.InvVect, 50000)}
	binv := btcwire.NewMsgInvSizeHint(50000)
	for i := range minv.InvList {
		var h mvs.Hash
		h[0], h[1], h[31] = byte(i), byte(i>>8), 7
		minv.InvList[i] = wire.InvVect{Type: wire.InvTypeTx, Hash: h}
		if err := binv.AddInvVect(btcwire.NewInvVect(btcwire.InvTypeTx, (*chainhash.Hash)(&h))); err != nil {
			tb.Fatal(err)
		}
	}

	mh := &wire.MsgHeaders{}
	bh := btcwire.NewMsgHeaders()
	for i := 0; i < 2000; i++ {
		h := blk.Header
		h.Height += uint32(i)
		mh.AddBlockHeader(&h, 0)
		bt := btcwire.NewBlockHeader(1, (*chainhash.Hash)(&h.PreviousBlockHash), (*chainhash.Hash)(&h.MerkleRoot), 0x1d00ffff, uint32(i))
		bt.Timestamp = time.Unix(int64(h.Timestamp), 0)
		if err := bh.AddBlockHeader(bt); err != nil {
			tb.Fatal(err)
		}
	}

	bb := btcwire.NewMsgBlock(btcwire.NewBlockHeader(1, (*chainhash.Hash)(&blk.Header.PreviousBlockHash), (*chainhash.Hash)(&blk.Header.MerkleRoot), 0x1d00ffff, 0))
	for i := range blk.Transactions {
		if err := bb.AddTransaction(twinTx(&blk.Transactions[i])); err != nil {
			tb.Fatal(err)
		}
	}

	return []pair{
		{"Version", mv, bv},
		{"Inv50000", minv, binv},
		{"Headers2000", mh, bh},
		{"Block", &wire.MsgBlock{Block: *blk}, bb},
		{"Tx", &wire.MsgTx{Tx: *t0}, twinTx(t0)},
	}
}

func emptyBtcd(tb testing.TB, m btcwire.Message) btcwire.Message {
	switch m.(type) {
	case *btcwire.MsgVersion:
		return &btcwire.MsgVersion{}
	case *btcwire.MsgInv:
		return &btcwire.MsgInv{}
	case *btcwire.MsgHeaders:
		return &btcwire.MsgHeaders{}
	case *btcwire.MsgBlock:
		return &btcwire.MsgBlock{}
	case *btcwire.MsgTx:
		return &btcwire.MsgTx{}
	}
	tb.Fatalf("no empty %T", m)
	return nil
}

// TestTwins checks that both libraries round-trip their own encodings of the benchmark
// messages, so the benchmarks measure working code.
func TestTwins(t *testing.T) {
	for _, p := range pairs(t) {
		var a, b bytes.Buffer
		if err := p.mvs.Encode(&a, pver); err != nil {
			t.Fatal(err)
		}
		if err := p.btcd.BtcEncode(&b, pver, btcwire.BaseEncoding); err != nil {
			t.Fatal(err)
		}
		m, _ := wire.MakeEmptyMessage(p.mvs.Command())
		if err := m.Decode(bytes.NewReader(a.Bytes()), pver); err != nil {
			t.Fatalf("%s mvs: %v", p.name, err)
		}
		if err := emptyBtcd(t, p.btcd).BtcDecode(bytes.NewBuffer(b.Bytes()), pver, btcwire.BaseEncoding); err != nil {
			t.Fatalf("%s btcd: %v", p.name, err)
		}
		t.Logf("%s: mvs %d bytes, btcd %d bytes", p.name, a.Len(), b.Len())
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, p := range pairs(b) {
		var a, c bytes.Buffer
		if err := p.mvs.Encode(&a, pver); err != nil {
			b.Fatal(err)
		}
		if err := p.btcd.BtcEncode(&c, pver, btcwire.BaseEncoding); err != nil {
			b.Fatal(err)
		}
		rawM, rawB := a.Bytes(), c.Bytes()
		b.Run(p.name+"/mvs", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(rawM)))
			for b.Loop() {
				m, _ := wire.MakeEmptyMessage(p.mvs.Command())
				if err := m.Decode(bytes.NewBuffer(rawM), pver); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(p.name+"/btcd", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(rawB)))
			// btcd's version decoder wants a *bytes.Buffer; both sides get one.
			for b.Loop() {
				if err := emptyBtcd(b, p.btcd).BtcDecode(bytes.NewBuffer(rawB), pver, btcwire.BaseEncoding); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	for _, p := range pairs(b) {
		// Both write into a reused buffer, as into a connection's write buffer: io.Discard
		// would let btcd skip producing the bytes.
		b.Run(p.name+"/mvs", func(b *testing.B) {
			b.ReportAllocs()
			var w bytes.Buffer
			for b.Loop() {
				w.Reset()
				if err := p.mvs.Encode(&w, pver); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(p.name+"/btcd", func(b *testing.B) {
			b.ReportAllocs()
			var w bytes.Buffer
			for b.Loop() {
				w.Reset()
				if err := p.btcd.BtcEncode(&w, pver, btcwire.BaseEncoding); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
