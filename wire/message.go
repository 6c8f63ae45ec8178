package wire

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/mvsgo/mvs/internal/codec"
)

// Protocol versions the message code depends on (the reference's version::level).
const (
	// ProtocolVersion is what the reference node sends and serializes with (bip130).
	ProtocolVersion uint32 = 70012
	// MinimumVersion is the reference's "minimum" (never enforced in its handshake).
	MinimumVersion uint32 = 31402
	// HeadersVersion: headers and getheaders exist from here.
	HeadersVersion uint32 = 31800
	// BIP0031Version: ping carries a nonce.
	BIP0031Version uint32 = 60001
	// BIP0035Version: mempool.
	BIP0035Version uint32 = 60002
	// BIP0037Version: filters, merkleblock, notfound; version's relay byte is written.
	BIP0037Version uint32 = 70001
	// BIP0061Version: reject; version's relay byte is read.
	BIP0061Version uint32 = 70002
	// BIP0130Version: sendheaders.
	BIP0130Version uint32 = 70012
	// BIP0152Version: compact blocks (sendcmpct, cmpctblock, blocktxn).
	BIP0152Version uint32 = 70014
)

// Framing sizes and the payload cap.
const (
	// HeaderSize is the size of the message header: magic, command, length, checksum.
	HeaderSize = 24
	// CommandSize is the NUL-padded command field.
	CommandSize = 12
	// MaxPayloadSize is the reference's heading::maximum_payload_size: an inv of 50,000
	// entries with its 3-byte count, 3 + 36 × 50,000. A longer length is refused before any
	// payload byte is read.
	MaxPayloadSize = 3 + 36*50_000
)

// Commands the reference node maps in heading::type(); any other is unknown to it.
const (
	CmdVersion     = "version"
	CmdVerAck      = "verack"
	CmdAddr        = "addr"
	CmdGetAddr     = "getaddr"
	CmdInv         = "inv"
	CmdGetData     = "getdata"
	CmdNotFound    = "notfound"
	CmdGetBlocks   = "getblocks"
	CmdGetHeaders  = "getheaders"
	CmdHeaders     = "headers"
	CmdBlock       = "block"
	CmdTx          = "tx"
	CmdPing        = "ping"
	CmdPong        = "pong"
	CmdMemPool     = "mempool"
	CmdSendHeaders = "sendheaders"
	CmdReject      = "reject"
	CmdFilterLoad  = "filterload"
	CmdFilterAdd   = "filteradd"
	CmdFilterClear = "filterclear"
	CmdMerkleBlock = "merkleblock"
	CmdSendCmpct   = "sendcmpct"
	CmdCmpctBlock  = "cmpctblock"
	CmdGetBlockTxn = "getblocktxn"
	CmdBlockTxn    = "blocktxn"
)

// Message is one P2P message payload. Decode reads r to its end: r must hold exactly one
// payload (ReadMessage hands it one), and bytes after the message are refused with
// ErrTrailing as the reference node refuses them. Encode writes the payload in one Write.
type Message interface {
	Command() string
	Decode(r io.Reader, pver uint32) error
	Encode(w io.Writer, pver uint32) error
	MaxPayloadLength(pver uint32) uint32
}

// payload is what every message of this package implements on top of Message: decoding
// from a bounded byte reader and appending the encoding.
type payload interface {
	Message
	decodeFrom(r *codec.Reader, pver uint32) error
	appendTo(b []byte, pver uint32) ([]byte, error)
}

// MakeEmptyMessage returns a zero message for command, or an *UnknownCommandError (without
// payload) when the reference node does not know the command.
func MakeEmptyMessage(command string) (Message, error) {
	switch command {
	case CmdVersion:
		return &MsgVersion{}, nil
	case CmdVerAck:
		return &MsgVerAck{}, nil
	case CmdAddr:
		return &MsgAddr{}, nil
	case CmdGetAddr:
		return &MsgGetAddr{}, nil
	case CmdInv:
		return &MsgInv{}, nil
	case CmdGetData:
		return &MsgGetData{}, nil
	case CmdNotFound:
		return &MsgNotFound{}, nil
	case CmdGetBlocks:
		return &MsgGetBlocks{}, nil
	case CmdGetHeaders:
		return &MsgGetHeaders{}, nil
	case CmdHeaders:
		return &MsgHeaders{}, nil
	case CmdBlock:
		return &MsgBlock{}, nil
	case CmdTx:
		return &MsgTx{}, nil
	case CmdPing:
		return &MsgPing{}, nil
	case CmdPong:
		return &MsgPong{}, nil
	case CmdMemPool:
		return &MsgMemPool{}, nil
	case CmdSendHeaders:
		return &MsgSendHeaders{}, nil
	case CmdReject:
		return &MsgReject{}, nil
	case CmdFilterLoad:
		return &MsgFilterLoad{}, nil
	case CmdFilterAdd:
		return &MsgFilterAdd{}, nil
	case CmdFilterClear:
		return &MsgFilterClear{}, nil
	case CmdMerkleBlock:
		return &MsgMerkleBlock{}, nil
	case CmdSendCmpct:
		return &MsgSendCmpct{}, nil
	case CmdCmpctBlock:
		return &MsgCmpctBlock{}, nil
	case CmdGetBlockTxn:
		return &MsgGetBlockTxn{}, nil
	case CmdBlockTxn:
		return &MsgBlockTxn{}, nil
	}
	return nil, &UnknownCommandError{Command: command}
}

// Commands lists every command MakeEmptyMessage knows, in the order of the reference's
// heading::type().
func Commands() []string {
	return []string{CmdAddr, CmdBlockTxn, CmdBlock, CmdCmpctBlock, CmdFilterAdd, CmdFilterClear,
		CmdFilterLoad, CmdGetAddr, CmdGetBlockTxn, CmdGetBlocks, CmdGetData, CmdGetHeaders,
		CmdHeaders, CmdInv, CmdMemPool, CmdMerkleBlock, CmdNotFound, CmdPing, CmdPong, CmdReject,
		CmdSendCmpct, CmdSendHeaders, CmdTx, CmdVerAck, CmdVersion}
}

// MessageHeader is the decoded 24-byte header.
type MessageHeader struct {
	Magic    uint32
	Command  string
	Length   uint32
	Checksum [4]byte
}

// Checksum is the first four bytes of SHA256(SHA256(payload)).
func Checksum(payload []byte) [4]byte {
	h := sha256.Sum256(payload)
	h = sha256.Sum256(h[:])
	return [4]byte(h[:4])
}

// DecodeHeader parses a 24-byte header. It refuses an all-zero header (ErrZeroHeader), a
// command with a non-NUL byte after a NUL or a non-printable byte (ErrMalformedCommand),
// and a length above MaxPayloadSize (ErrPayloadTooLarge). It does not check the magic.
func DecodeHeader(b [HeaderSize]byte) (*MessageHeader, error) {
	if b == [HeaderSize]byte{} {
		return nil, ErrZeroHeader
	}
	h := &MessageHeader{
		Magic:  binary.LittleEndian.Uint32(b[0:4]),
		Length: binary.LittleEndian.Uint32(b[16:20]),
	}
	copy(h.Checksum[:], b[20:24])
	cmd := b[4:16]
	n := bytes.IndexByte(cmd, 0)
	if n < 0 {
		n = CommandSize
	}
	for i, c := range cmd {
		if i < n && (c < 0x20 || c > 0x7e) {
			return nil, fmt.Errorf("%w: byte %#02x at position %d", ErrMalformedCommand, c, i)
		}
		if i >= n && c != 0 {
			return nil, fmt.Errorf("%w: byte %#02x after the terminating NUL at position %d", ErrMalformedCommand, c, i)
		}
	}
	h.Command = string(cmd[:n])
	if h.Length > MaxPayloadSize {
		return h, fmt.Errorf("%w: %s header gives %d bytes, the limit is %d", ErrPayloadTooLarge, h.Command, h.Length, MaxPayloadSize)
	}
	return h, nil
}

// AppendHeader appends the 24-byte header for command and payload.
func AppendHeader(b []byte, magic uint32, command string, payload []byte) ([]byte, error) {
	if len(command) > CommandSize {
		return b, fmt.Errorf("%w: %q", ErrCommandTooLong, command)
	}
	for i := 0; i < len(command); i++ {
		if c := command[i]; c < 0x20 || c > 0x7e {
			return b, fmt.Errorf("%w: %q", ErrMalformedCommand, command)
		}
	}
	if len(payload) > MaxPayloadSize {
		return b, fmt.Errorf("%w: %s payload is %d bytes, the limit is %d", ErrPayloadTooLarge, command, len(payload), MaxPayloadSize)
	}
	b = binary.LittleEndian.AppendUint32(b, magic)
	var cmd [CommandSize]byte
	copy(cmd[:], command)
	b = append(b, cmd[:]...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(payload)))
	sum := Checksum(payload)
	return append(b, sum[:]...), nil
}

// ReadMessage reads one framed message from r and decodes its payload at protocol version
// pver (the peer's negotiated version). It returns the message and its raw payload.
//
// The checks, in the reference node's order: all-zero header, magic (ErrBadMagic), command
// form, length against MaxPayloadSize (before reading the payload), checksum, then the
// command: an unknown one yields *UnknownCommandError (errors.Is ErrUnknownCommand) with
// the payload consumed; a known one is decoded and trailing bytes are refused.
func ReadMessage(r io.Reader, pver uint32, magic uint32) (Message, []byte, error) {
	var hb [HeaderSize]byte
	if _, err := io.ReadFull(r, hb[:]); err != nil {
		return nil, nil, fmt.Errorf("wire: reading message header: %w", err)
	}
	// The magic is judged before the command and the length, as the reference judges it:
	// a wrong magic is the one failure mvsd bans for, so it must not hide behind another.
	if got := binary.LittleEndian.Uint32(hb[:4]); got != magic && hb != [HeaderSize]byte{} {
		return nil, nil, fmt.Errorf("%w: got 0x%08x, want 0x%08x", ErrBadMagic, got, magic)
	}
	h, err := DecodeHeader(hb)
	if err != nil {
		return nil, nil, err
	}
	// h.Length <= MaxPayloadSize here, so this allocation is bounded.
	buf := make([]byte, h.Length)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, nil, fmt.Errorf("wire: reading %d-byte %s payload: %w", h.Length, h.Command, err)
	}
	if sum := Checksum(buf); sum != h.Checksum {
		return nil, buf, fmt.Errorf("%w: %s header says %x, payload hashes to %x", ErrBadChecksum, h.Command, h.Checksum, sum)
	}
	msg, err := MakeEmptyMessage(h.Command)
	if err != nil {
		return nil, buf, &UnknownCommandError{Command: h.Command, Payload: buf}
	}
	if err := decodePayload(msg.(payload), buf, pver); err != nil {
		return nil, buf, fmt.Errorf("wire: %s payload: %w", h.Command, err)
	}
	return msg, buf, nil
}

// WriteMessage frames msg for the network magic and writes header and payload in one Write.
// It refuses a payload longer than msg.MaxPayloadLength(pver) or MaxPayloadSize.
func WriteMessage(w io.Writer, msg Message, pver uint32, magic uint32) error {
	b, err := AppendMessage(nil, msg, pver, magic)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// AppendMessage appends the framed message to b.
func AppendMessage(b []byte, msg Message, pver uint32, magic uint32) ([]byte, error) {
	var pl []byte
	if p, ok := msg.(payload); ok {
		var err error
		// Reserve the header in front of the payload so that one buffer holds both.
		start := len(b)
		b = append(b, make([]byte, HeaderSize)...)
		b, err = p.appendTo(b, pver)
		if err != nil {
			return b[:start], err
		}
		pl = b[start+HeaderSize:]
		if err := checkSendSize(msg, len(pl), pver); err != nil {
			return b[:start], err
		}
		hdr, err := AppendHeader(b[start:start], magic, msg.Command(), pl)
		if err != nil {
			return b[:start], err
		}
		_ = hdr // written in place: b[start:start+HeaderSize]
		return b, nil
	}
	var buf bytes.Buffer
	if err := msg.Encode(&buf, pver); err != nil {
		return b, err
	}
	pl = buf.Bytes()
	if err := checkSendSize(msg, len(pl), pver); err != nil {
		return b, err
	}
	b, err := AppendHeader(b, magic, msg.Command(), pl)
	if err != nil {
		return b, err
	}
	return append(b, pl...), nil
}

func checkSendSize(msg Message, n int, pver uint32) error {
	if max := msg.MaxPayloadLength(pver); uint64(n) > uint64(max) {
		return fmt.Errorf("%w: %s payload is %d bytes, its limit at protocol %d is %d", ErrPayloadTooLarge, msg.Command(), n, pver, max)
	}
	return nil
}

// decodePayload decodes buf as the whole payload of m; bytes left over are refused.
func decodePayload(m payload, buf []byte, pver uint32) error {
	r := codec.NewReader(buf)
	if err := m.decodeFrom(r, pver); err != nil {
		return err
	}
	if r.Len() != 0 {
		return r.Fail(m.Command(), ErrTrailing, fmt.Sprintf("%d bytes after the message", r.Len()))
	}
	return nil
}

// readPayload reads r to its end, refusing more than MaxPayloadSize bytes. A reader that
// knows its length (bytes.Reader, bytes.Buffer, ...) is read into one exact allocation.
func readPayload(r io.Reader) ([]byte, error) {
	if lr, ok := r.(interface{ Len() int }); ok {
		n := lr.Len()
		if n > MaxPayloadSize {
			return nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrPayloadTooLarge, n, MaxPayloadSize)
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, err
		}
		// Whatever arrived after Len was taken is more than the payload.
		var one [1]byte
		if k, _ := r.Read(one[:]); k != 0 {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrPayloadTooLarge, n)
		}
		return b, nil
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(r, MaxPayloadSize+1)); err != nil {
		return nil, err
	}
	if buf.Len() > MaxPayloadSize {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrPayloadTooLarge, MaxPayloadSize)
	}
	return buf.Bytes(), nil
}

// decodeMessage implements Message.Decode for every message of the package.
func decodeMessage(m payload, r io.Reader, pver uint32) error {
	b, err := readPayload(r)
	if err != nil {
		return err
	}
	return decodePayload(m, b, pver)
}

// encodeMessage implements Message.Encode for every message of the package.
// A writer with AvailableBuffer (bytes.Buffer, bufio.Writer) is appended to in place, so a
// reused buffer costs no allocation.
func encodeMessage(m payload, w io.Writer, pver uint32) error {
	var b []byte
	if ab, ok := w.(interface{ AvailableBuffer() []byte }); ok {
		b = ab.AvailableBuffer()
	}
	b, err := m.appendTo(b, pver)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// needVersion refuses a message below its minimum protocol version.
func needVersion(cmd string, pver, min uint32) error {
	if pver < min {
		return fmt.Errorf("%w: %s needs protocol %d, have %d", ErrVersionTooLow, cmd, min, pver)
	}
	return nil
}
