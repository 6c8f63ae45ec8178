package tx

import (
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/mvsgo/mvs"
)

// PrevOut is what signing or verifying an input needs to know about the output it spends:
// its script and value (and, for wallets that track assets, its attachment). It is the
// element of the offline-signing object and of `mvs-cli tx verify --prevouts`.
type PrevOut struct {
	OutPoint   OutPoint
	Value      mvs.Amount
	Script     []byte
	Attachment Attachment
	// Height is the block height of the output, 0 when unknown (coin selection uses it for
	// maturity and locks; signing does not).
	Height uint32
}

type prevOutJSON struct {
	PreviousOutput *JSONOutPoint   `json:"previous_output,omitempty"`
	Value          mvs.Amount      `json:"value"`
	Script         string          `json:"script,omitempty"`
	ScriptHex      string          `json:"script_hex,omitempty"`
	Attachment     *JSONAttachment `json:"attachment,omitempty"`
	Height         uint32          `json:"height,omitempty"`
}

// MarshalJSON writes the script as the node's text and as exact hex.
func (p PrevOut) MarshalJSON() ([]byte, error) {
	a := attachmentToJSON(&p.Attachment)
	return json.Marshal(prevOutJSON{PreviousOutput: &JSONOutPoint{p.OutPoint.Hash, p.OutPoint.Index}, Value: p.Value,
		Script: nodeASM(p.Script), ScriptHex: hex.EncodeToString(p.Script), Attachment: &a, Height: p.Height})
}

// UnmarshalJSON reads the script from "script_hex" when present (exact; the text, if also
// present, must read the same), else from the text. A missing attachment means plain ETP.
func (p *PrevOut) UnmarshalJSON(b []byte) error {
	var j prevOutJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("%w: previous output: %v", ErrJSON, err)
	}
	var err error
	if p.Script, err = scriptFromJSON(j.Script, j.ScriptHex); err != nil {
		return fmt.Errorf("%w: previous output script: %w", ErrJSON, err)
	}
	if j.PreviousOutput != nil {
		p.OutPoint = OutPoint{j.PreviousOutput.Hash, j.PreviousOutput.Index}
	}
	p.Value, p.Height = j.Value, j.Height
	p.Attachment = Attachment{Version: AttachVersion, Type: TypeETP}
	if j.Attachment != nil {
		if p.Attachment, err = attachmentFromJSON(j.Attachment); err != nil {
			return fmt.Errorf("%w: previous output attachment: %v", ErrJSON, err)
		}
	}
	return nil
}
