package main

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wire"
)

const wireUsage = `Usage: mvs-cli wire VERB [flags]

Verbs:
  decode [--net N] [--pver V] [HEX]     print a framed P2P message as JSON (HEX or stdin)
  encode [--net N] FILE|-               read that JSON, print the framed message's hex

Run mvs-cli wire VERB --help for one verb's arguments, flags, output and exit statuses.
`

const wireDecodeUsage = `Usage: mvs-cli wire decode [--net mainnet|testnet|regtest] [--pver V] [HEX]

Decodes one framed peer-to-peer message (24-byte header, then the payload) as the reference
node mvsd parses it, and prints it as JSON: "network" (from the magic), "magic", "command",
"length", "checksum", "checksum_ok", "protocol_version" (the version it was parsed at) and
"payload" with the message's fields in snake_case: hashes in display order, addresses as
"ip" and "port", blocks and transactions as block decode and tx decode print them. A
command mvsd does not know is printed with "payload_hex" instead, and exits 1.

Arguments:
  HEX       the message in hex, header included; read from stdin when absent or "-"

Flags:
  --net N   refuse a message whose magic is not this network's (mainnet, testnet,
            regtest); without it the network is recognised from the magic
  --pver V  protocol version to parse at (default 70012, what mvsd sends; 70014 for
            the compact-block messages sendcmpct, cmpctblock and blocktxn)

Exit status: 0 decoded; 1 error (not hex, a bad header, an unknown command, a payload
that does not parse or has bytes left over: one line on stderr). A checksum mismatch
prints the JSON with "checksum_ok": false and exits 1.`

const wireEncodeUsage = `Usage: mvs-cli wire encode [--net mainnet|testnet|regtest] FILE|-

Reads the JSON that wire decode prints (from FILE, or stdin for "-") and prints the framed
message's hex. "command" and "payload" (or "payload_hex", raw payload bytes) are required;
"protocol_version" defaults to 70012; the magic comes from "magic" or "network", else
from --net (default mainnet). "length" and "checksum", when present, must match the
payload: drop them after editing it. Unknown fields are refused.

Arguments:
  FILE      the JSON message; "-" reads stdin

Flags:
  --net N   network whose magic frames the message when the JSON names none; when the
            JSON does, they must agree

Exit status: 0 encoded; 1 error (bad JSON, a field out of range, a length or checksum
that contradicts the payload: one line on stderr).`

// wireJSON is the JSON form of a framed message.
type wireJSON struct {
	Network         string          `json:"network,omitempty"`
	Magic           string          `json:"magic,omitempty"`
	Command         string          `json:"command"`
	Length          *uint32         `json:"length,omitempty"`
	Checksum        string          `json:"checksum,omitempty"`
	ChecksumOK      *bool           `json:"checksum_ok,omitempty"`
	ProtocolVersion uint32          `json:"protocol_version,omitempty"`
	Payload         json.RawMessage `json:"payload,omitempty"`
	PayloadHex      *string         `json:"payload_hex,omitempty"`
}

// cliError keeps an error's chain but prints it without the library's "wire: " prefixes.
type cliError struct {
	msg string
	err error
}

func (c *cliError) Error() string { return c.msg }
func (c *cliError) Unwrap() error { return c.err }

func wireError(what string, err error) error {
	return &cliError{msg: what + ": " + strings.ReplaceAll(err.Error(), "wire: ", ""), err: err}
}

// networkByMagic names the network of a magic, or "".
func networkByMagic(magic uint32) string {
	for _, n := range []string{"mainnet", "testnet", "regtest"} {
		if p, _ := mvs.ParamsByName(n); p.Magic == magic {
			return n
		}
	}
	return ""
}

func wireDecode(e *env, args []string) error {
	fs := newFlags("wire decode")
	net := netFlag(fs)
	pverFlag := fs.Uint("pver", uint(wire.ProtocolVersion), "protocol version to parse at")
	pos, err := parseArgs(fs, args, wireDecodeUsage)
	if err != nil {
		return err
	}
	p, err := net()
	if err != nil {
		return err
	}
	if *pverFlag > 1<<32-1 {
		return fmt.Errorf("--pver %d: out of range", *pverFlag)
	}
	pver := uint32(*pverFlag)
	raw, err := hexFromArgsOrStdin(e, "message hex", "HEX", pos)
	if err != nil {
		return err
	}
	if len(raw) < wire.HeaderSize {
		return fmt.Errorf("a message is at least the %d-byte header, got %d bytes", wire.HeaderSize, len(raw))
	}
	h, err := wire.DecodeHeader([wire.HeaderSize]byte(raw))
	if err != nil {
		return wireError("bad message header", err)
	}
	network := networkByMagic(h.Magic)
	if isSet(fs, "net") && h.Magic != p.Magic {
		return wireError("bad message header", fmt.Errorf("%w: 0x%08x is not %s's 0x%08x", wire.ErrBadMagic, h.Magic, p.Name, p.Magic))
	}
	if network == "" {
		return wireError("bad message header", fmt.Errorf("%w: 0x%08x is no known network's", wire.ErrBadMagic, h.Magic))
	}
	pl := raw[wire.HeaderSize:]
	if len(pl) != int(h.Length) {
		return fmt.Errorf("the header gives a %d-byte payload, the hex holds %d bytes after the header", h.Length, len(pl))
	}
	sum := wire.Checksum(pl)
	ok := sum == h.Checksum
	length := h.Length
	out := wireJSON{Network: network, Magic: fmt.Sprintf("0x%08x", h.Magic), Command: h.Command, Length: &length,
		Checksum: hex.EncodeToString(h.Checksum[:]), ChecksumOK: &ok, ProtocolVersion: pver}
	msg, err := wire.MakeEmptyMessage(h.Command)
	if err != nil {
		ph := hex.EncodeToString(pl)
		out.PayloadHex = &ph
		if perr := printJSON(e.stdout, out); perr != nil {
			return perr
		}
		return &exitError{code: exitFailure, msg: fmt.Sprintf("unknown command %q: the reference node drops the connection", h.Command)}
	}
	if err := msg.Decode(bytes.NewReader(pl), pver); err != nil {
		return wireError(fmt.Sprintf("%s payload", h.Command), err)
	}
	addrNet, _ := mvs.ParamsByName(network) // addresses in transactions follow the magic
	if out.Payload, err = payloadToJSON(msg, addrNet); err != nil {
		return err
	}
	if err := printJSON(e.stdout, out); err != nil {
		return err
	}
	if !ok {
		return &exitError{code: exitFailure, msg: fmt.Sprintf("checksum mismatch: the header says %x, the payload hashes to %x", h.Checksum, sum)}
	}
	return nil
}

// headersEntryJSON is one header of a headers message.
type headersEntryJSON struct {
	headerJSON
	TxCount uint64 `json:"tx_count"`
}

type headersJSON struct {
	Headers []headersEntryJSON `json:"headers"`
}

type merkleBlockJSON struct {
	Header  headerJSON    `json:"header"`
	TxCount uint64        `json:"tx_count"`
	Hashes  []mvs.Hash    `json:"hashes"`
	Flags   wire.HexBytes `json:"flags"`
}

type prefilledJSON struct {
	Index       uint64     `json:"index"`
	Transaction *tx.JSONTx `json:"transaction"`
}

type cmpctBlockJSON struct {
	Header    headerJSON      `json:"header"`
	Nonce     uint64          `json:"nonce"`
	ShortIDs  []wire.ShortID  `json:"short_ids"`
	Prefilled []prefilledJSON `json:"prefilled_transactions"`
}

type blockTxnJSON struct {
	BlockHash    mvs.Hash     `json:"block_hash"`
	Transactions []*tx.JSONTx `json:"transactions"`
}

// payloadToJSON renders a decoded message. Messages without headers, blocks or
// transactions carry their JSON field names in package wire; the others use the shapes of
// block decode and tx decode, with addresses for network p.
func payloadToJSON(m wire.Message, p *mvs.Params) (json.RawMessage, error) {
	var v any = m
	switch m := m.(type) {
	case *wire.MsgBlock:
		v = toBlockJSON(&m.Block, p)
	case *wire.MsgTx:
		v = m.Tx.ToJSON(p)
	case *wire.MsgHeaders:
		j := headersJSON{Headers: make([]headersEntryJSON, len(m.Headers))}
		for i := range m.Headers {
			j.Headers[i] = headersEntryJSON{toHeaderJSON(&m.Headers[i].Header), m.Headers[i].TxCount}
		}
		v = j
	case *wire.MsgMerkleBlock:
		v = merkleBlockJSON{toHeaderJSON(&m.Header), m.TxCount, nonNil(m.Hashes), m.Flags}
	case *wire.MsgCmpctBlock:
		j := cmpctBlockJSON{Header: toHeaderJSON(&m.Header), Nonce: m.Nonce, ShortIDs: nonNil(m.ShortIDs),
			Prefilled: make([]prefilledJSON, len(m.PrefilledTxs))}
		for i := range m.PrefilledTxs {
			j.Prefilled[i] = prefilledJSON{m.PrefilledTxs[i].Index, m.PrefilledTxs[i].Tx.ToJSON(p)}
		}
		v = j
	case *wire.MsgBlockTxn:
		j := blockTxnJSON{BlockHash: m.BlockHash, Transactions: make([]*tx.JSONTx, len(m.Transactions))}
		for i := range m.Transactions {
			j.Transactions[i] = m.Transactions[i].ToJSON(p)
		}
		v = j
	}
	return json.Marshal(v)
}

// nonNil makes an empty list print as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// strictJSON decodes b into v refusing unknown fields and anything after the value.
func strictJSON(what string, b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(what, err)
	}
	if dec.More() {
		return fmt.Errorf("%s: more than one JSON value", what)
	}
	return nil
}

// headerFromJSON rebuilds a header; "hash" and "seal_hash", when given, must match it.
func headerFromJSON(j *headerJSON, what string) (block.Header, error) {
	h := block.Header{Version: j.Version, Height: j.Height, PreviousBlockHash: j.PreviousBlockHash,
		MerkleRoot: j.MerkleRoot, Timestamp: j.Timestamp}
	bits, ok := new(big.Int).SetString(j.Bits, 10)
	if !ok {
		return h, fmt.Errorf("%s: \"bits\" %q is not a decimal number", what, j.Bits)
	}
	var err error
	if h.Bits, err = block.DifficultyFromBig(bits); err != nil {
		return h, fmt.Errorf("%s: \"bits\" %s: %w", what, j.Bits, err)
	}
	if h.Nonce, err = strconv.ParseUint(j.Nonce, 10, 64); err != nil {
		return h, fmt.Errorf("%s: \"nonce\" %q is not a 64-bit decimal number", what, j.Nonce)
	}
	mix, err := hex.DecodeString(j.MixHash)
	if err != nil || len(mix) != len(h.MixHash) {
		return h, fmt.Errorf("%s: \"mixhash\" is not 32 bytes of hex", what)
	}
	copy(h.MixHash[:], mix)
	if j.Hash != "" && j.Hash != h.Hash().String() {
		return h, fmt.Errorf("%s: \"hash\" %s is not the hash of the fields (%s): drop it after editing them", what, j.Hash, h.Hash())
	}
	if j.SealHash != "" {
		s := h.SealHash()
		if j.SealHash != hex.EncodeToString(s[:]) {
			return h, fmt.Errorf("%s: \"seal_hash\" does not match the fields: drop it after editing them", what)
		}
	}
	return h, nil
}

func txFromJSON(j *tx.JSONTx, what string) (tx.Tx, error) {
	if j == nil {
		return tx.Tx{}, fmt.Errorf("%s: missing", what)
	}
	t, err := tx.FromJSON(j)
	if err != nil {
		return tx.Tx{}, fmt.Errorf("%s: %w", what, err)
	}
	return *t, nil
}

func fixedHex(s string, n int, what string) ([]byte, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != n {
		return nil, fmt.Errorf("%q is not %d bytes of hex", what, n)
	}
	return b, nil
}

// payloadFromJSON builds the message of command cmd from its "payload" JSON.
func payloadFromJSON(cmd string, b []byte) (wire.Message, error) {
	m, err := wire.MakeEmptyMessage(cmd)
	if err != nil {
		return nil, wireError("command", err)
	}
	what := cmd + " payload"
	switch m := m.(type) {
	case *wire.MsgBlock:
		var j blockJSON
		if err := strictJSON(what, b, &j); err != nil {
			return nil, err
		}
		if m.Block.Header, err = headerFromJSON(&j.headerJSON, what); err != nil {
			return nil, err
		}
		if j.TxCount != len(j.Transactions) {
			return nil, fmt.Errorf("%s: \"transaction_count\" is %d but %d transactions follow", what, j.TxCount, len(j.Transactions))
		}
		m.Block.Transactions = make([]tx.Tx, len(j.Transactions))
		for i := range j.Transactions {
			if m.Block.Transactions[i], err = txFromJSON(j.Transactions[i], fmt.Sprintf("%s: transaction %d", what, i)); err != nil {
				return nil, err
			}
		}
		v := m.Block.Header.Version
		signed := v == block.VersionPoS || v == block.VersionDPoS
		if signed != (j.Signature != "") || (v == block.VersionDPoS) != (j.PublicKey != "") {
			return nil, fmt.Errorf("%s: a version %d block has %s", what, v, trailerWords(v))
		}
		if signed {
			sig, err := fixedHex(j.Signature, block.SignatureSize, "signature")
			if err != nil {
				return nil, fmt.Errorf("%s: %w", what, err)
			}
			copy(m.Block.Signature[:], sig)
		}
		if v == block.VersionDPoS {
			pk, err := fixedHex(j.PublicKey, block.PublicKeySize, "public_key")
			if err != nil {
				return nil, fmt.Errorf("%s: %w", what, err)
			}
			copy(m.Block.PublicKey[:], pk)
		}
	case *wire.MsgTx:
		var j tx.JSONTx
		if err := strictJSON(what, b, &j); err != nil {
			return nil, err
		}
		if m.Tx, err = txFromJSON(&j, what); err != nil {
			return nil, err
		}
	case *wire.MsgHeaders:
		var j headersJSON
		if err := strictJSON(what, b, &j); err != nil {
			return nil, err
		}
		m.Headers = make([]wire.HeaderWithCount, len(j.Headers))
		for i := range j.Headers {
			m.Headers[i].TxCount = j.Headers[i].TxCount
			if m.Headers[i].Header, err = headerFromJSON(&j.Headers[i].headerJSON, fmt.Sprintf("%s: header %d", what, i)); err != nil {
				return nil, err
			}
		}
	case *wire.MsgMerkleBlock:
		var j merkleBlockJSON
		if err := strictJSON(what, b, &j); err != nil {
			return nil, err
		}
		if m.Header, err = headerFromJSON(&j.Header, what); err != nil {
			return nil, err
		}
		m.TxCount, m.Hashes, m.Flags = j.TxCount, j.Hashes, j.Flags
	case *wire.MsgCmpctBlock:
		var j cmpctBlockJSON
		if err := strictJSON(what, b, &j); err != nil {
			return nil, err
		}
		if m.Header, err = headerFromJSON(&j.Header, what); err != nil {
			return nil, err
		}
		m.Nonce, m.ShortIDs = j.Nonce, j.ShortIDs
		m.PrefilledTxs = make([]wire.PrefilledTx, len(j.Prefilled))
		for i := range j.Prefilled {
			m.PrefilledTxs[i].Index = j.Prefilled[i].Index
			if m.PrefilledTxs[i].Tx, err = txFromJSON(j.Prefilled[i].Transaction, fmt.Sprintf("%s: prefilled transaction %d", what, i)); err != nil {
				return nil, err
			}
		}
	case *wire.MsgBlockTxn:
		var j blockTxnJSON
		if err := strictJSON(what, b, &j); err != nil {
			return nil, err
		}
		m.BlockHash = j.BlockHash
		m.Transactions = make([]tx.Tx, len(j.Transactions))
		for i := range j.Transactions {
			if m.Transactions[i], err = txFromJSON(j.Transactions[i], fmt.Sprintf("%s: transaction %d", what, i)); err != nil {
				return nil, err
			}
		}
	default:
		if err := strictJSON(what, b, m); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func trailerWords(v uint32) string {
	switch v {
	case block.VersionPoS:
		return "a \"signature\" and no \"public_key\""
	case block.VersionDPoS:
		return "a \"signature\" and a \"public_key\""
	}
	return "no \"signature\" and no \"public_key\""
}

func wireEncode(e *env, args []string) error {
	fs := newFlags("wire encode")
	net := netFlag(fs)
	pos, err := parseArgs(fs, args, wireEncodeUsage)
	if err != nil {
		return err
	}
	p, err := net()
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return missing("FILE (the message JSON; - for stdin)")
	case len(pos) > 1:
		return fmt.Errorf("unexpected argument %q (one FILE only)", pos[1])
	}
	b, err := readInput(e, "FILE", pos[0], "message JSON")
	if err != nil {
		return err
	}
	var j wireJSON
	if err := strictJSON("message JSON", b, &j); err != nil {
		return err
	}
	magic, err := encodeMagic(&j, p, isSet(fs, "net"))
	if err != nil {
		return err
	}
	if j.Command == "" {
		return missing("\"command\" in the message JSON")
	}
	pver := j.ProtocolVersion
	if pver == 0 {
		pver = wire.ProtocolVersion
	}
	var payload []byte
	switch {
	case len(j.Payload) > 0 && j.PayloadHex != nil:
		return errors.New("the message JSON has both \"payload\" and \"payload_hex\": give one")
	case j.PayloadHex != nil:
		if payload, err = hex.DecodeString(*j.PayloadHex); err != nil {
			return hexError("\"payload_hex\"", err)
		}
	case len(j.Payload) > 0:
		m, err := payloadFromJSON(j.Command, j.Payload)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := m.Encode(&buf, pver); err != nil {
			return wireError(j.Command+" payload", err)
		}
		payload = buf.Bytes()
	default:
		if _, err := wire.MakeEmptyMessage(j.Command); err != nil {
			return wireError("command", err)
		}
		// An empty payload (verack, getaddr, ...) may be left out.
	}
	if j.Length != nil && int(*j.Length) != len(payload) {
		return fmt.Errorf("\"length\" is %d but the payload is %d bytes: drop \"length\" after editing the payload", *j.Length, len(payload))
	}
	sum := wire.Checksum(payload)
	if j.Checksum != "" && j.Checksum != hex.EncodeToString(sum[:]) {
		return fmt.Errorf("\"checksum\" %s is not the payload's %x: drop \"checksum\" after editing the payload", j.Checksum, sum)
	}
	out, err := wire.AppendHeader(nil, magic, j.Command, payload)
	if err != nil {
		return wireError("message", err)
	}
	_, err = fmt.Fprintln(e.stdout, hex.EncodeToString(append(out, payload...)))
	return err
}

// encodeMagic resolves the magic from the JSON's "magic" and "network" and --net.
func encodeMagic(j *wireJSON, p *mvs.Params, netGiven bool) (uint32, error) {
	magic := p.Magic
	fromJSON := false
	if j.Magic != "" {
		b, err := hex.DecodeString(strings.TrimPrefix(j.Magic, "0x"))
		if err != nil || len(b) != 4 {
			return 0, fmt.Errorf("\"magic\" %q is not 8 hex digits", j.Magic)
		}
		magic, fromJSON = binary.BigEndian.Uint32(b), true
	}
	if j.Network != "" {
		np, err := mvs.ParamsByName(j.Network)
		if err != nil {
			return 0, fmt.Errorf("\"network\" %q: want mainnet, testnet or regtest", j.Network)
		}
		if fromJSON && np.Magic != magic {
			return 0, fmt.Errorf("\"magic\" %s is not %s's %08x", j.Magic, j.Network, np.Magic)
		}
		magic, fromJSON = np.Magic, true
	}
	if fromJSON && netGiven && magic != p.Magic {
		return 0, fmt.Errorf("the message JSON's magic %08x is not --net %s's %08x", magic, p.Name, p.Magic)
	}
	return magic, nil
}
