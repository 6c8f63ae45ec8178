package tx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx/script"
)

// FromNodeJSON rebuilds a transaction from the JSON the reference node prints for it
// (decoderawtx, gettx, and the transaction that send, issue and the other wallet commands
// return), in any of its API versions: numbers as JSON numbers or as strings, the result
// bare or inside {"transaction": …} or a JSON-RPC envelope {"result": …}, v2's flattened
// "previous_output.hash" keys, certificate types and MIT statuses as words.
//
// The node's JSON does not carry every byte of the transaction:
//   - scripts are in the node's text, which drops the push opcode of a non-minimal push (a
//     locked-asset output's model is always pushed with PUSHDATA2: that is restored);
//   - an attachment's version is not printed (1 is assumed, 207 where from_did/to_did are
//     printed, 0 in a coinbase);
//   - a certificate's status (and a mining certificate's content) is not printed.
//
// When "hash" is present, the result must hash to it: the unprinted choices are searched (at
// most a few hundred candidates) until one does, and otherwise FromNodeJSON fails and says
// to use the raw hex. Without "hash" (after an edit) the first candidate is returned. Every
// informational field the node prints is checked against what it describes: an output's
// "address" against its script, "index" against its position, "locked_height_range"
// against a deposit script; an edited address with an unedited script is refused, never
// silently ignored.
func FromNodeJSON(b []byte) (*Tx, error) {
	body, err := unwrapNodeJSON(b)
	if err != nil {
		return nil, err
	}
	var j nodeTxJSON
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrJSON, err)
	}
	if len(j.Inputs) == 0 {
		return nil, fmt.Errorf("%w: \"inputs\" is missing or empty", ErrJSON)
	}
	if len(j.Outputs) == 0 {
		return nil, fmt.Errorf("%w: \"outputs\" is missing or empty", ErrJSON)
	}
	t := &Tx{Version: uint32(j.Version), LockTime: uint32(j.LockTime),
		Inputs: make([]Input, len(j.Inputs)), Outputs: make([]Output, len(j.Outputs))}
	if uint64(j.Version) > 0xffffffff || uint64(j.LockTime) > 0xffffffff {
		return nil, fmt.Errorf("%w: version or lock_time does not fit in 32 bits", ErrJSON)
	}
	// choices lists what the node did not print: how many values each can take, and how to
	// apply the k-th.
	var choices []nodeChoice
	for i := range j.Inputs {
		in, err := j.Inputs[i].input()
		if err != nil {
			return nil, fmt.Errorf("%w: inputs[%d].%v", ErrJSON, i, err)
		}
		t.Inputs[i] = in
	}
	coinbase := t.IsCoinbase()
	if coinbase {
		// A coinbase script that does not parse as operations is printed as one push of all
		// its bytes; try those bytes raw as well.
		if raw, ok := singlePush(t.Inputs[0].Script); ok {
			parsed := t.Inputs[0].Script
			choices = append(choices, nodeChoice{n: 2, set: func(k int) { t.Inputs[0].Script = [2][]byte{parsed, raw}[k] }})
		}
	}
	for i := range j.Outputs {
		o, certs, err := j.Outputs[i].output(i, coinbase)
		if err != nil {
			return nil, fmt.Errorf("%w: outputs[%d].%v", ErrJSON, i, err)
		}
		t.Outputs[i] = o
		if certs != nil {
			c := certs
			choices = append(choices, nodeChoice{n: len(certStatusOrder), set: func(k int) { c.Status = certStatusOrder[k] }})
		}
	}
	if j.Hash == "" {
		return t, nil
	}
	want, err := mvs.ParseHash(j.Hash)
	if err != nil {
		return nil, fmt.Errorf("%w: hash: %v", ErrJSON, err)
	}
	total := 1
	for _, c := range choices {
		if total *= c.n; total > maxNodeCandidates {
			return nil, fmt.Errorf("%w: too many unprinted fields to search (%d candidates); decode the raw hex instead", ErrJSON, total)
		}
	}
	for n := 0; n < total; n++ {
		k := n
		for _, c := range choices {
			c.set(k % c.n)
			k /= c.n
		}
		if t.Hash() == want {
			return t, nil
		}
	}
	return nil, fmt.Errorf("%w: no encoding of these fields hashes to %s: the node's JSON drops bytes this transaction needs "+
		"(non-minimal pushes, a certificate's content); decode the raw hex instead, or drop \"hash\" after an edit", ErrJSON, j.Hash)
}

// maxNodeCandidates bounds the search over unprinted fields.
const maxNodeCandidates = 1 << 10

// certStatusOrder is the order statuses are tried in: the common ones first.
var certStatusOrder = [...]uint8{CertStatusIssue, CertStatusTransfer, CertStatusAutoIssue, CertStatusNormal}

type nodeChoice struct {
	n   int
	set func(k int)
}

// unwrapNodeJSON returns the transaction object inside a JSON-RPC envelope and/or a
// {"transaction": …} wrapper.
func unwrapNodeJSON(b []byte) ([]byte, error) {
	for range 3 {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("%w: node transaction: %v", ErrJSON, err)
		}
		if e, ok := m["error"]; ok && string(e) != "null" {
			return nil, fmt.Errorf("%w: the node answered an error: %s", ErrJSON, e)
		}
		switch {
		case m["inputs"] != nil || m["outputs"] != nil:
			return b, nil
		case m["result"] != nil:
			b = m["result"]
		case m["transaction"] != nil:
			b = m["transaction"]
		default:
			return b, nil
		}
	}
	return b, nil
}

// nodeUint is a number the node prints either as a JSON number or as a string.
type nodeUint uint64

func (n *nodeUint) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return fmt.Errorf("%s is not a non-negative integer", b)
	}
	*n = nodeUint(v)
	return nil
}

// nodeBool is a boolean the node prints as true/false or "true"/"false".
type nodeBool bool

func (v *nodeBool) UnmarshalJSON(b []byte) error {
	switch strings.Trim(string(b), `"`) {
	case "true":
		*v = true
	case "false":
		*v = false
	default:
		return fmt.Errorf("%s is not a boolean", b)
	}
	return nil
}

type nodeTxJSON struct {
	Hash     string       `json:"hash"`
	Version  nodeUint     `json:"version"`
	LockTime nodeUint     `json:"lock_time"`
	Inputs   []nodeInput  `json:"inputs"`
	Outputs  []nodeOutput `json:"outputs"`
}

type nodeInput struct {
	PreviousOutput *struct {
		Hash  mvs.Hash `json:"hash"`
		Index nodeUint `json:"index"`
	} `json:"previous_output"`
	PrevHash  *mvs.Hash `json:"previous_output.hash"` // API v2
	PrevIndex *nodeUint `json:"previous_output.index"`
	Script    *string   `json:"script"`
	Sequence  *nodeUint `json:"sequence"`
}

func (j *nodeInput) input() (Input, error) {
	var in Input
	switch {
	case j.PreviousOutput != nil:
		in.PreviousOutput = OutPoint{j.PreviousOutput.Hash, uint32(j.PreviousOutput.Index)}
		if j.PreviousOutput.Index > 0xffffffff {
			return in, fmt.Errorf("previous_output.index does not fit in 32 bits")
		}
	case j.PrevHash != nil && j.PrevIndex != nil:
		in.PreviousOutput = OutPoint{*j.PrevHash, uint32(*j.PrevIndex)}
	default:
		return in, fmt.Errorf("previous_output is missing")
	}
	if j.Script == nil {
		return in, fmt.Errorf("script is missing")
	}
	if j.Sequence == nil || *j.Sequence > 0xffffffff {
		return in, fmt.Errorf("sequence is missing or does not fit in 32 bits")
	}
	in.Sequence = uint32(*j.Sequence)
	s, err := nodeScript(*j.Script)
	if err != nil {
		return in, fmt.Errorf("script: %v", err)
	}
	in.Script = s
	return in, nil
}

type nodeOutput struct {
	Address     *string        `json:"address"`
	Script      *string        `json:"script"`
	Value       *nodeUint      `json:"value"`
	Index       *nodeUint      `json:"index"`
	LockedRange *nodeUint      `json:"locked_height_range"`
	Attachment  nodeAttachment `json:"attachment"`
}

// output builds output i; certs is the certificate payload whose unprinted status must be
// searched, if any.
func (j *nodeOutput) output(i int, coinbase bool) (Output, *AssetCert, error) {
	var o Output
	if j.Script == nil || j.Value == nil {
		return o, nil, fmt.Errorf("script or value is missing")
	}
	if j.Index != nil && uint64(*j.Index) != uint64(i) {
		return o, nil, fmt.Errorf("index is %d at position %d", *j.Index, i)
	}
	s, err := nodeScript(*j.Script)
	if err != nil {
		return o, nil, fmt.Errorf("script: %v", err)
	}
	o.Script, o.Value = s, mvs.Amount(*j.Value)
	if j.Address != nil {
		if err := checkNodeAddress(s, *j.Address); err != nil {
			return o, nil, err
		}
	}
	if j.LockedRange != nil {
		h, _ := script.DepositLockHeight(s)
		if uint64(h) != uint64(*j.LockedRange) {
			return o, nil, fmt.Errorf("locked_height_range %d does not match the script's lock height %d", *j.LockedRange, h)
		}
	}
	a, certs, err := j.Attachment.attachment(coinbase)
	if err != nil {
		return o, nil, fmt.Errorf("attachment.%v", err)
	}
	o.Attachment = a
	return o, certs, nil
}

// checkNodeAddress refuses an "address" that is not the one the script pays, on any network.
func checkNodeAddress(s []byte, addr string) error {
	for _, p := range []*mvs.Params{mvs.MainNet(), mvs.TestNet()} {
		if a, ok := script.Script(s).Address(p); ok && a.String() == addr {
			return nil
		}
	}
	return fmt.Errorf("address %q is not what the script pays (edit the script, not the address)", addr)
}

type nodeAttachment struct {
	Type          string    `json:"type"`
	FromDID       *string   `json:"from_did"`
	ToDID         *string   `json:"to_did"`
	Symbol        string    `json:"symbol"`
	Address       string    `json:"address"`
	Issuer        string    `json:"issuer"`
	Description   string    `json:"description"`
	Owner         string    `json:"owner"`
	Content       *string   `json:"content"`
	Quantity      *nodeUint `json:"quantity"`
	MaximumSupply *nodeUint `json:"maximum_supply"`
	Decimals      *nodeUint `json:"decimal_number"`
	Threshold     *nodeUint `json:"secondaryissue_threshold"`
	IsSecondary   *nodeBool `json:"is_secondaryissue"`
	Cert          string    `json:"cert"`
	Status        string    `json:"status"`
}

func (j *nodeAttachment) attachment(coinbase bool) (Attachment, *AssetCert, error) {
	a := Attachment{Version: AttachVersion}
	if coinbase {
		a.Version = AttachVersionCoinbase
	}
	if j.FromDID != nil || j.ToDID != nil {
		a.Version = AttachVersionDID
		if j.FromDID != nil {
			a.FromDID = *j.FromDID
		}
		if j.ToDID != nil {
			a.ToDID = *j.ToDID
		}
	}
	small := func(name string, v *nodeUint, limit uint64) (uint8, error) {
		if v == nil {
			return 0, nil
		}
		if uint64(*v) > limit {
			return 0, fmt.Errorf("%s %d is above %d", name, *v, limit)
		}
		return uint8(*v), nil
	}
	switch j.Type {
	case "etp":
		a.Type = TypeETP
	case "coinstake":
		a.Type, a.Version = TypeCoinstakeNull, AttachVersionCoinbase
	case "asset-issue":
		supply := j.Quantity // the node prints the maximum supply under "quantity" here
		if supply == nil {
			supply = j.MaximumSupply
		}
		if supply == nil {
			return a, nil, fmt.Errorf("quantity is missing")
		}
		d := &AssetDetail{Symbol: j.Symbol, MaximumSupply: uint64(*supply), Issuer: j.Issuer, Address: j.Address, Description: j.Description}
		var err error
		if d.Decimals, err = small("decimal_number", j.Decimals, 19); err != nil {
			return a, nil, err
		}
		if d.SecondaryIssueThreshold, err = small("secondaryissue_threshold", j.Threshold, 127); err != nil {
			return a, nil, err
		}
		if j.IsSecondary != nil && *j.IsSecondary {
			d.SecondaryIssueThreshold |= 128
		}
		a.Type, a.Payload = TypeAsset, d
	case "asset-transfer":
		if j.Quantity == nil {
			return a, nil, fmt.Errorf("quantity is missing")
		}
		a.Type, a.Payload = TypeAsset, &AssetTransfer{Symbol: j.Symbol, Quantity: uint64(*j.Quantity)}
	case "message":
		if j.Content == nil {
			return a, nil, fmt.Errorf("content is missing")
		}
		a.Type, a.Payload = TypeMessage, &Message{Content: *j.Content}
	case "did-register", "did-transfer":
		st := DIDStatusRegister
		if j.Type == "did-transfer" {
			st = DIDStatusTransfer
		}
		a.Type, a.Payload = TypeDID, &DID{Status: st, Symbol: j.Symbol, Address: j.Address}
	case "asset-cert":
		ct, err := certTypeByName(j.Cert)
		if err != nil {
			return a, nil, err
		}
		c := &AssetCert{Symbol: j.Symbol, Owner: j.Owner, Address: j.Address, CertType: ct, Status: certStatusOrder[0]}
		if c.HasContent() {
			if j.Content == nil {
				return a, nil, fmt.Errorf("cert %q carries content, which the node does not print; decode the raw hex instead", j.Cert)
			}
			c.Content = *j.Content
		}
		a.Type, a.Payload = TypeAssetCert, c
		return a, c, nil
	case "mit":
		var st uint8
		switch strings.ToLower(j.Status) {
		case "registered":
			st = MITStatusRegister
		case "transfered", "transferred":
			st = MITStatusTransfer
		default:
			return a, nil, fmt.Errorf("status %q is not an MIT status (registered, transfered)", j.Status)
		}
		m := &MIT{Status: st, Symbol: j.Symbol, Address: j.Address}
		if st == MITStatusRegister && j.Content != nil {
			m.Content = *j.Content
		}
		a.Type, a.Payload = TypeMIT, m
	default:
		return a, nil, fmt.Errorf("type %q is not one the node prints", j.Type)
	}
	return a, nil, nil
}

// certTypeByName reads the node's certificate type names (asset_cert::get_type_name_map) and
// its "0x…" form for other types.
func certTypeByName(name string) (uint32, error) {
	switch strings.ToLower(name) {
	case "issue":
		return CertIssue, nil
	case "domain":
		return CertDomain, nil
	case "naming":
		return CertNaming, nil
	case "mining":
		return CertMining, nil
	case "witness":
		return CertWitness, nil
	case "marriage":
		return CertMarriage, nil
	case "kyc":
		return CertKYC, nil
	}
	if h, ok := strings.CutPrefix(strings.ToLower(name), "0x"); ok {
		if v, err := strconv.ParseUint(h, 16, 32); err == nil {
			return uint32(v), nil
		}
	}
	return 0, fmt.Errorf("cert %q is not a certificate type", name)
}

// nodeScript reads a script in the node's text and restores what the node's own encoding
// does that its text does not show: the PUSHDATA2 of a locked-asset model.
func nodeScript(text string) ([]byte, error) {
	s, err := script.ParseASM(text)
	if err != nil {
		return nil, err
	}
	t := s.Tokenize()
	var ops []script.Op
	afterFirst := 0
	for len(ops) < 3 && t.Next() {
		ops = append(ops, t.Op())
		if len(ops) == 1 {
			afterFirst = t.Offset()
		}
	}
	if len(ops) == 3 && ops[2].Opcode == script.OP_CHECKATTENUATIONVERIFY && ops[0].IsPushData() &&
		ops[0].Opcode != script.OP_PUSHDATA2 && len(ops[0].Data) > 0 {
		return script.NewBuilder().AddPush(script.OP_PUSHDATA2, ops[0].Data).AddScript(s[afterFirst:]).Script()
	}
	return s, nil
}

// singlePush returns the data of a script that is exactly one push.
func singlePush(s []byte) ([]byte, bool) {
	t := script.Script(s).Tokenize()
	if !t.Next() || !t.Op().IsPushData() || len(t.Op().Data) == 0 {
		return nil, false
	}
	data := t.Op().Data
	if t.Next() || t.Err() != nil {
		return nil, false
	}
	return data, true
}
