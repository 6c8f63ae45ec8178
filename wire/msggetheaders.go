package wire

import (
	"io"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/internal/codec"
)

// MsgGetHeaders asks for the headers after the first locator hash the peer knows, up to HashStop. Same layout as getblocks; the reference refuses it below protocol 31800. mvsd does not answer when the last locator hash (normally genesis) is unknown to it.
//
// mvsd disconnects a peer whose locator is longer than floor(log2(its height)) + 12: build
// the standard locator (10 dense entries, then exponential steps, then genesis) and do not
// pad it.
type MsgGetHeaders struct {
	// ProtocolVersion is the u32 that leads the payload. The reference ignores it on receipt
	// and writes the serializing protocol version; Encode does the same when it is 0 and
	// writes it as is otherwise, so that a decoded message re-encodes to the same bytes.
	ProtocolVersion    uint32     `json:"version"`
	BlockLocatorHashes []mvs.Hash `json:"locator"`
	HashStop           mvs.Hash   `json:"stop"`
}

// Command returns "getheaders".
func (m *MsgGetHeaders) Command() string { return CmdGetHeaders }

// MaxPayloadLength is the size with MaxLocatorsPerMsg hashes.
func (m *MsgGetHeaders) MaxPayloadLength(pver uint32) uint32 {
	return 4 + 3 + MaxLocatorsPerMsg*mvs.HashSize + mvs.HashSize
}

// AddBlockLocatorHash appends one locator hash.
func (m *MsgGetHeaders) AddBlockLocatorHash(h mvs.Hash) {
	m.BlockLocatorHashes = append(m.BlockLocatorHashes, h)
}

// Decode reads the payload to the end of r.
func (m *MsgGetHeaders) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgGetHeaders) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgGetHeaders) decodeFrom(r *codec.Reader, pver uint32) error {
	if err := needVersion(CmdGetHeaders, pver, HeadersVersion); err != nil {
		return err
	}
	var err error
	if m.ProtocolVersion, err = r.Uint32LE("version"); err != nil {
		return err
	}
	if m.BlockLocatorHashes, err = decodeHashes(r, "locator", MaxLocatorsPerMsg); err != nil {
		return err
	}
	return r.Fixed(m.HashStop[:], "stop")
}

func (m *MsgGetHeaders) appendTo(b []byte, pver uint32) ([]byte, error) {
	if err := needVersion(CmdGetHeaders, pver, HeadersVersion); err != nil {
		return b, err
	}
	if len(m.BlockLocatorHashes) > MaxLocatorsPerMsg {
		return b, tooMany("locator hashes", len(m.BlockLocatorHashes), MaxLocatorsPerMsg)
	}
	v := m.ProtocolVersion
	if v == 0 {
		v = pver
	}
	b = appendUint32(b, v)
	b = appendHashes(b, m.BlockLocatorHashes)
	return append(b, m.HashStop[:]...), nil
}
