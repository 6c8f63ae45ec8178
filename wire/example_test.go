package wire_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/wire"
)

// Send a version message and read it back, as a peer on the other end of a connection
// would; then skip a command mvsd does not know.
func Example() {
	p := mvs.MainNet()
	var conn bytes.Buffer // stands for a net.Conn

	v := &wire.MsgVersion{
		ProtocolVersion: wire.ProtocolVersion,
		Services:        1,
		Timestamp:       1585509085,
		AddrRecv:        wire.NewNetAddress(netip.MustParseAddrPort("198.199.84.199:5251"), 1),
		Nonce:           0x9e658b6e0dba4efa,
		UserAgent:       "/mvsgo:0.1/",
		StartHeight:     3514519,
		Relay:           true,
	}
	if err := wire.WriteMessage(&conn, v, wire.ProtocolVersion, p.Magic); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("header % x\n", conn.Bytes()[:4])

	msg, payload, err := wire.ReadMessage(&conn, wire.ProtocolVersion, p.Magic)
	if err != nil {
		fmt.Println(err)
		return
	}
	got := msg.(*wire.MsgVersion)
	fmt.Println(msg.Command(), len(payload), got.UserAgent, got.AddrRecv.AddrPort(), got.Relay)

	// Someone sends feefilter, which mvsd does not map: it is reported and can be skipped.
	conn.Write([]byte("MVSMfeefilter\x00\x00\x00\x08\x00\x00\x00"))
	sum := wire.Checksum(make([]byte, 8))
	conn.Write(sum[:])
	conn.Write(make([]byte, 8))
	_, _, err = wire.ReadMessage(&conn, wire.ProtocolVersion, p.Magic)
	var unknown *wire.UnknownCommandError
	fmt.Println(errors.Is(err, wire.ErrUnknownCommand), errors.As(err, &unknown) && unknown.Command == "feefilter", conn.Len())
	// Output:
	// header 4d 56 53 4d
	// version 97 /mvsgo:0.1/ 198.199.84.199:5251 true
	// true true 0
}
