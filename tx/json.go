package tx

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
)

// The JSON form is for people and tools: hashes in display order, scripts as the node's text
// (script.NodeASM, what the node's decoderawtx prints) with their exact bytes beside them in
// script_hex, addresses (of inputs too, as the node shows them), symbols, and values in
// satoshi (with an ETP string that must agree). It carries everything the wire form does, so
// FromJSON(ToJSON(t)) gives back t's exact bytes. Attachment type names follow the node's json_helper: etp, asset-issue,
// asset-transfer, message, did-register, did-transfer, asset-cert, mit, coinstake; plus
// etp-award and unknown (with type_id) for the rest.

// JSONTx is the JSON shape of a transaction.
type JSONTx struct {
	Hash     string       `json:"hash,omitempty"`
	Version  uint32       `json:"version"`
	LockTime uint32       `json:"lock_time"`
	Inputs   []JSONInput  `json:"inputs"`
	Outputs  []JSONOutput `json:"outputs"`
}

// JSONInput is the JSON shape of an input.
type JSONInput struct {
	// Address is the signer's, read from the input script as the node reads it (P2PKH of the
	// public key, P2SH of the redeem script); informational, like the node's.
	Address        string       `json:"address,omitempty"`
	PreviousOutput JSONOutPoint `json:"previous_output"`
	Script         string       `json:"script"`
	ScriptHex      string       `json:"script_hex,omitempty"`
	Sequence       uint32       `json:"sequence"`
}

// JSONOutPoint is the JSON shape of an outpoint.
type JSONOutPoint struct {
	Hash  mvs.Hash `json:"hash"`
	Index uint32   `json:"index"`
}

// JSONOutput is the JSON shape of an output.
type JSONOutput struct {
	Index      int            `json:"index"`
	Value      mvs.Amount     `json:"value"`         // satoshi
	ETP        string         `json:"etp,omitempty"` // Value in ETP; if given, it must equal Value
	Script     string         `json:"script"`
	ScriptHex  string         `json:"script_hex,omitempty"`
	Address    string         `json:"address,omitempty"`
	Attachment JSONAttachment `json:"attachment"`
}

// JSONAttachment is the JSON shape of an attachment: the envelope and the payload's fields.
type JSONAttachment struct {
	Version uint32 `json:"version"`
	Type    string `json:"type"`
	TypeID  uint32 `json:"type_id,omitempty"` // only for "unknown"
	ToDID   string `json:"to_did,omitempty"`
	FromDID string `json:"from_did,omitempty"`

	Symbol        string  `json:"symbol,omitempty"`
	Quantity      *uint64 `json:"quantity,omitempty"`
	MaximumSupply *uint64 `json:"maximum_supply,omitempty"`
	Decimals      *uint8  `json:"decimal_number,omitempty"`
	Threshold     *uint8  `json:"secondaryissue_threshold,omitempty"`
	IsSecondary   bool    `json:"is_secondaryissue,omitempty"`
	Unused2       uint8   `json:"unused2,omitempty"`
	Unused3       uint8   `json:"unused3,omitempty"`
	Issuer        string  `json:"issuer,omitempty"`
	Address       string  `json:"address,omitempty"`
	Description   string  `json:"description,omitempty"`
	Content       *string `json:"content,omitempty"`
	Owner         string  `json:"owner,omitempty"`
	CertType      *uint32 `json:"cert_type,omitempty"`
	Status        *uint32 `json:"status,omitempty"`
	Height        *uint64 `json:"height,omitempty"`
}

// ToJSON converts t to its JSON shape; addresses are rendered for network p.
func (t *Tx) ToJSON(p *mvs.Params) *JSONTx {
	j := &JSONTx{Hash: t.Hash().String(), Version: t.Version, LockTime: t.LockTime,
		Inputs: make([]JSONInput, len(t.Inputs)), Outputs: make([]JSONOutput, len(t.Outputs))}
	for i := range t.Inputs {
		in := &t.Inputs[i]
		ji := JSONInput{PreviousOutput: JSONOutPoint{in.PreviousOutput.Hash, in.PreviousOutput.Index},
			Script: nodeASM(in.Script), ScriptHex: hex.EncodeToString(in.Script), Sequence: in.Sequence}
		if a, ok := scriptAddress(in.Script, p); ok && !t.IsCoinbase() {
			ji.Address = a
		}
		j.Inputs[i] = ji
	}
	for i := range t.Outputs {
		o := &t.Outputs[i]
		jo := JSONOutput{Index: i, Value: o.Value, ETP: o.Value.String(),
			Script: nodeASM(o.Script), ScriptHex: hex.EncodeToString(o.Script), Attachment: attachmentToJSON(&o.Attachment)}
		if a, ok := scriptAddress(o.Script, p); ok {
			jo.Address = a
		}
		j.Outputs[i] = jo
	}
	return j
}

func u32p(v uint32) *uint32 { return &v }
func u64p(v uint64) *uint64 { return &v }
func u8p(v uint8) *uint8    { return &v }
func strp(s string) *string { return &s }

func attachmentToJSON(a *Attachment) JSONAttachment {
	j := JSONAttachment{Version: a.Version, ToDID: a.ToDID, FromDID: a.FromDID}
	switch p := a.Payload.(type) {
	case nil:
		switch a.Type {
		case TypeETP:
			j.Type = "etp"
		case TypeCoinstakeNull:
			j.Type = "coinstake"
		default:
			j.Type, j.TypeID = "unknown", uint32(a.Type)
		}
	case *ETPAward:
		j.Type, j.Height = "etp-award", u64p(p.Height)
	case *AssetDetail:
		j.Type = "asset-issue"
		j.Symbol, j.MaximumSupply, j.Decimals = p.Symbol, u64p(p.MaximumSupply), u8p(p.Decimals)
		j.Threshold, j.IsSecondary = u8p(p.Threshold()), p.IsSecondaryIssue()
		j.Unused2, j.Unused3 = p.Unused2, p.Unused3
		j.Issuer, j.Address, j.Description = p.Issuer, p.Address, p.Description
	case *AssetTransfer:
		j.Type, j.Symbol, j.Quantity = "asset-transfer", p.Symbol, u64p(p.Quantity)
	case *Message:
		j.Type, j.Content = "message", strp(p.Content)
	case *DID:
		j.Type = "did-register"
		if p.Status == DIDStatusTransfer {
			j.Type = "did-transfer"
		}
		j.Symbol, j.Address = p.Symbol, p.Address
	case *AssetCert:
		j.Type, j.Symbol, j.Owner, j.Address = "asset-cert", p.Symbol, p.Owner, p.Address
		j.CertType, j.Status = u32p(p.CertType), u32p(uint32(p.Status))
		if p.HasContent() {
			j.Content = strp(p.Content)
		}
	case *MIT:
		j.Type, j.Symbol, j.Address, j.Status = "mit", p.Symbol, p.Address, u32p(uint32(p.Status))
		if p.Status == MITStatusRegister {
			j.Content = strp(p.Content)
		}
	}
	return j
}

// MarshalJSON renders t with mainnet addresses; use ToJSON for another network.
func (t *Tx) MarshalJSON() ([]byte, error) { return json.Marshal(t.ToJSON(mvs.MainNet())) }

// ErrJSON wraps every failure to turn JSON back into a transaction.
var ErrJSON = errors.New("tx json")

// ErrTextMismatch: a readable field (a script's text, an etp string) contradicts, or cannot
// be read as, the exact field beside it. It comes wrapped with ErrJSON.
var ErrTextMismatch = errors.New("readable text contradicts the exact value")

// FromJSON builds the transaction a JSONTx describes. Scripts come from script_hex when it is
// given (then the text, if also given, must read the same), otherwise from the text. An etp
// string, if given, must equal value. A hash, if given, must match the result. A
// transaction without inputs or outputs is refused: it is never what was meant.
func FromJSON(j *JSONTx) (*Tx, error) {
	switch {
	case len(j.Inputs) == 0:
		return nil, fmt.Errorf("%w: \"inputs\" is missing or empty", ErrJSON)
	case len(j.Outputs) == 0:
		return nil, fmt.Errorf("%w: \"outputs\" is missing or empty", ErrJSON)
	}
	t := &Tx{Version: j.Version, LockTime: j.LockTime, Inputs: make([]Input, len(j.Inputs)), Outputs: make([]Output, len(j.Outputs))}
	for i, ji := range j.Inputs {
		s, err := scriptFromJSON(ji.Script, ji.ScriptHex)
		if err != nil {
			return nil, fmt.Errorf("%w: inputs[%d].script: %w", ErrJSON, i, err)
		}
		t.Inputs[i] = Input{PreviousOutput: OutPoint{ji.PreviousOutput.Hash, ji.PreviousOutput.Index}, Script: s, Sequence: ji.Sequence}
	}
	for i, jo := range j.Outputs {
		s, err := scriptFromJSON(jo.Script, jo.ScriptHex)
		if err != nil {
			return nil, fmt.Errorf("%w: outputs[%d].script: %w", ErrJSON, i, err)
		}
		if jo.ETP != "" {
			etp, err := mvs.ParseUnits(jo.ETP, mvs.ETPDecimals)
			if err != nil || mvs.Amount(etp) != jo.Value {
				return nil, fmt.Errorf("%w: outputs[%d].etp: %w: %q is not value %d satoshi (%s ETP); drop one of them",
					ErrJSON, i, ErrTextMismatch, jo.ETP, uint64(jo.Value), jo.Value)
			}
		}
		a, err := attachmentFromJSON(&jo.Attachment)
		if err != nil {
			return nil, fmt.Errorf("%w: outputs[%d].attachment: %v", ErrJSON, i, err)
		}
		t.Outputs[i] = Output{Value: jo.Value, Script: s, Attachment: a}
	}
	if j.Hash != "" {
		if got := t.Hash().String(); got != j.Hash {
			return nil, fmt.Errorf("%w: the fields hash to %s, not the given hash %s (drop \"hash\" after editing)", ErrJSON, got, j.Hash)
		}
	}
	return t, nil
}

// UnmarshalJSON implements json.Unmarshaler with FromJSON.
func (t *Tx) UnmarshalJSON(b []byte) error {
	var j JSONTx
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("%w: %v", ErrJSON, err)
	}
	v, err := FromJSON(&j)
	if err != nil {
		return err
	}
	*t = *v
	return nil
}

func scriptFromJSON(asm, hexText string) ([]byte, error) {
	if hexText == "" {
		return parseASM(asm)
	}
	b, err := hex.DecodeString(hexText)
	if err != nil {
		return nil, fmt.Errorf("script_hex: %v", err)
	}
	if asm != "" {
		// Compare as the node reads both: the text may be in the node's lossy form.
		fromText, err := parseASM(asm)
		if err != nil || nodeASM(fromText) != nodeASM(b) {
			return nil, fmt.Errorf("%w: the text %q and script_hex %s differ (drop one after editing)", ErrTextMismatch, asm, hexText)
		}
	}
	return b, nil
}

func attachmentFromJSON(j *JSONAttachment) (Attachment, error) {
	a := Attachment{Version: j.Version, ToDID: j.ToDID, FromDID: j.FromDID}
	if (j.ToDID != "" || j.FromDID != "") && j.Version != AttachVersionDID {
		return a, fmt.Errorf("to_did/from_did need attachment version %d", AttachVersionDID)
	}
	need := func(name string, ok bool) error {
		if !ok {
			return fmt.Errorf("type %s needs %q", j.Type, name)
		}
		return nil
	}
	switch j.Type {
	case "etp":
		a.Type = TypeETP
	case "coinstake":
		a.Type = TypeCoinstakeNull
	case "unknown":
		a.Type = AttachmentType(j.TypeID)
		if a.payloadMatches() && a.Type != TypeETP && a.Type != TypeCoinstakeNull {
			return a, nil
		}
		return a, fmt.Errorf("type_id %d is a known type; use its name", j.TypeID)
	case "etp-award":
		if err := need("height", j.Height != nil); err != nil {
			return a, err
		}
		a.Type, a.Payload = TypeETPAward, &ETPAward{Height: *j.Height}
	case "asset-issue":
		if err := need("maximum_supply", j.MaximumSupply != nil); err != nil {
			return a, err
		}
		d := &AssetDetail{Symbol: j.Symbol, MaximumSupply: *j.MaximumSupply, Unused2: j.Unused2, Unused3: j.Unused3,
			Issuer: j.Issuer, Address: j.Address, Description: j.Description}
		if j.Decimals != nil {
			d.Decimals = *j.Decimals
		}
		if j.Threshold != nil {
			if *j.Threshold >= 128 {
				return a, fmt.Errorf("secondaryissue_threshold %d: give 0-127 and set is_secondaryissue", *j.Threshold)
			}
			d.SecondaryIssueThreshold = *j.Threshold
		}
		if j.IsSecondary {
			d.SecondaryIssueThreshold |= 128
		}
		a.Type, a.Payload = TypeAsset, d
	case "asset-transfer":
		if err := need("quantity", j.Quantity != nil); err != nil {
			return a, err
		}
		a.Type, a.Payload = TypeAsset, &AssetTransfer{Symbol: j.Symbol, Quantity: *j.Quantity}
	case "message":
		if err := need("content", j.Content != nil); err != nil {
			return a, err
		}
		a.Type, a.Payload = TypeMessage, &Message{Content: *j.Content}
	case "did-register", "did-transfer":
		st := DIDStatusRegister
		if j.Type == "did-transfer" {
			st = DIDStatusTransfer
		}
		a.Type, a.Payload = TypeDID, &DID{Status: st, Symbol: j.Symbol, Address: j.Address}
	case "asset-cert":
		if err := need("cert_type", j.CertType != nil); err != nil {
			return a, err
		}
		c := &AssetCert{Symbol: j.Symbol, Owner: j.Owner, Address: j.Address, CertType: *j.CertType}
		if j.Status != nil {
			if *j.Status > 255 {
				return a, fmt.Errorf("certificate status %d does not fit in a byte", *j.Status)
			}
			c.Status = uint8(*j.Status)
		}
		if c.HasContent() {
			if err := need("content", j.Content != nil); err != nil {
				return a, err
			}
			c.Content = *j.Content
		} else if j.Content != nil {
			return a, fmt.Errorf("cert_type %#x has no content bit; content would be dropped", c.CertType)
		}
		a.Type, a.Payload = TypeAssetCert, c
	case "mit":
		if err := need("status", j.Status != nil); err != nil {
			return a, err
		}
		if *j.Status > 255 {
			return a, fmt.Errorf("MIT status %d does not fit in a byte", *j.Status)
		}
		m := &MIT{Status: uint8(*j.Status), Symbol: j.Symbol, Address: j.Address}
		if m.Status == MITStatusRegister {
			if j.Content != nil {
				m.Content = *j.Content
			}
		} else if j.Content != nil {
			return a, fmt.Errorf("MIT status %d carries no content; content would be dropped", m.Status)
		}
		a.Type, a.Payload = TypeMIT, m
	default:
		return a, fmt.Errorf("unknown attachment type %q", j.Type)
	}
	return a, nil
}
