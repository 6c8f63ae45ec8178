// Package wire reads and writes Metaverse (MVS) peer-to-peer messages byte for byte as the
// reference node mvsd frames and parses them.
//
// Use: WriteMessage(conn, msg, pver, params.Magic) sends one message; ReadMessage(conn,
// pver, params.Magic) reads the next one and returns it as a typed *MsgXxx, together with
// its raw payload. pver is the protocol version to parse with: ProtocolVersion (70012, what
// mvsd sends and parses with until the handshake) and then the peer's version from its
// MsgVersion. A minimal handshake:
//
//	p := mvs.MainNet()
//	v := &wire.MsgVersion{ProtocolVersion: wire.ProtocolVersion, Services: 1,
//		Timestamp: uint64(time.Now().Unix()), AddrRecv: wire.NewNetAddress(peer, 1),
//		Nonce: nonce, UserAgent: "/mvsgo:0.1/", StartHeight: height, Relay: true}
//	err := wire.WriteMessage(conn, v, wire.ProtocolVersion, p.Magic)
//	msg, _, err := wire.ReadMessage(conn, wire.ProtocolVersion, p.Magic) // their version
//	pver := min(wire.ProtocolVersion, msg.(*wire.MsgVersion).ProtocolVersion)
//	err = wire.WriteMessage(conn, &wire.MsgVerAck{}, pver, p.Magic)
//
// Framing: a 24-byte header (magic, 12-byte NUL-padded command, payload length, the first
// four bytes of the payload's double SHA-256) then the payload. ReadMessage refuses, each
// with its own sentinel for errors.Is: an all-zero header (ErrZeroHeader), another
// network's magic (ErrBadMagic; mvsd bans the sender for 24 hours), a malformed command
// (ErrMalformedCommand), a length above MaxPayloadSize = 1,800,003 bytes before reading the
// payload (ErrPayloadTooLarge), a checksum mismatch (ErrBadChecksum), a payload that does
// not parse (a *DecodeError naming the field and byte offset, wrapping ErrTruncated or
// ErrTooLarge) or leaves bytes over (ErrTrailing), and a message below its minimum protocol
// version (ErrVersionTooLow). A command mvsd does not map (feefilter, alert, addrv2, ...)
// is an *UnknownCommandError (errors.Is ErrUnknownCommand) returned after its payload is
// consumed, so a caller may skip it; mvsd itself disconnects. Every one of these makes mvsd
// drop the connection: a Go peer must never send them.
//
// Messages: the 25 commands of mvsd's heading::type() (Commands lists them), one type each
// with Command, Decode, Encode and MaxPayloadLength. Blocks and transactions are packages
// block and tx. Where the reference departs from Bitcoin or btcd this package follows the
// reference: the relay byte of version is written from 70001 but read from 70002; pong
// always has a nonce; addr has no 1,000-entry limit; inventory type codes are kept raw
// (mvsd turns 3 and unknown codes into 0); headers and merkleblock carry a varint
// transaction count after each 148-byte header; getblocks and getheaders write the
// serializing version when their version field is 0. Counts are bounded by what
// MaxPayloadSize can hold (MaxInvPerMsg 50,000, MaxAddrPerMsg 60,000, MaxHeadersPerMsg
// 12,080, MaxLocatorsPerMsg 56,248) and by the bytes left, both checked before allocating.
// LocatorHeights gives the heights of the reference's standard block locator and
// MaxLocatorLen the longest locator mvsd accepts (a longer one drops the connection).
// One stricter rule than mvsd: a command with bytes after its NUL padding is refused here,
// where mvsd silently cuts it at the first NUL.
//
// Decoded messages own their memory: nothing aliases the payload slice ReadMessage returns.
// Nothing here opens a socket, starts a goroutine or keeps global state.
package wire
