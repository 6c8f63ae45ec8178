package wire

import (
	"io"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/internal/codec"
)

// MsgGetBlocks asks for an inv of the block hashes after the first locator hash the peer knows, up to HashStop (zero: as many as the peer sends; mvsd sends 500 or 10).
//
// mvsd disconnects a peer whose locator is longer than floor(log2(its height)) + 12: build
// the standard locator (10 dense entries, then exponential steps, then genesis) and do not
// pad it.
type MsgGetBlocks struct {
	// ProtocolVersion is the u32 that leads the payload. The reference ignores it on receipt
	// and writes the serializing protocol version; Encode does the same when it is 0 and
	// writes it as is otherwise, so that a decoded message re-encodes to the same bytes.
	ProtocolVersion    uint32     `json:"version"`
	BlockLocatorHashes []mvs.Hash `json:"locator"`
	HashStop           mvs.Hash   `json:"stop"`
}

// Command returns "getblocks".
func (m *MsgGetBlocks) Command() string { return CmdGetBlocks }

// MaxPayloadLength is the size with MaxLocatorsPerMsg hashes.
func (m *MsgGetBlocks) MaxPayloadLength(pver uint32) uint32 {
	return 4 + 3 + MaxLocatorsPerMsg*mvs.HashSize + mvs.HashSize
}

// AddBlockLocatorHash appends one locator hash.
func (m *MsgGetBlocks) AddBlockLocatorHash(h mvs.Hash) {
	m.BlockLocatorHashes = append(m.BlockLocatorHashes, h)
}

// Decode reads the payload to the end of r.
func (m *MsgGetBlocks) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgGetBlocks) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgGetBlocks) decodeFrom(r *codec.Reader, pver uint32) error {
	var err error
	if m.ProtocolVersion, err = r.Uint32LE("version"); err != nil {
		return err
	}
	if m.BlockLocatorHashes, err = decodeHashes(r, "locator", MaxLocatorsPerMsg); err != nil {
		return err
	}
	return r.Fixed(m.HashStop[:], "stop")
}

func (m *MsgGetBlocks) appendTo(b []byte, pver uint32) ([]byte, error) {
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
