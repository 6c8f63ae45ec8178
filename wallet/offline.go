package wallet

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// Offline-signing errors.
var (
	ErrUnsignedFormat = errors.New("wallet: malformed unsigned transaction")
	ErrIncomplete     = errors.New("wallet: inputs still lack signatures")
	ErrBadPartial     = errors.New("wallet: partial signature does not verify")
	ErrMismatch       = errors.New("wallet: the objects describe different transactions")
	// ErrReadableMismatch: a readable field of the offline JSON (tx_readable, a previous
	// output's ASM, …) says something the raw transaction or previous outputs do not. The
	// person at the cold signer reads those fields; the signature covers the raw bytes.
	ErrReadableMismatch = errors.New("wallet: a readable field of the offline JSON contradicts the raw data")
	// ErrMissingKey: a single-key input whose key the signer does not hold (or, with
	// SignWithAccount, whose recorded origin is absent or another account's). It comes as
	// *MissingKeyError. Multisig inputs short of signatures are not this error: they wait for
	// co-signers (Sign's remaining count).
	ErrMissingKey = errors.New("wallet: signer lacks the key of an input")
)

// MissingKeyError names the input whose key the signer lacks: its index, the address whose
// key signs it, and the key origin when the object records one.
type MissingKeyError struct {
	Input   int
	Address mvs.Address
	Origin  *KeyOrigin
	// Reason is nil, or what else went wrong (ErrOriginFingerprint: the origin names
	// another account).
	Reason error
}

func (e *MissingKeyError) Error() string {
	s := fmt.Sprintf("input %d: %v: no key for %s", e.Input, ErrMissingKey, e.Address)
	if e.Origin != nil {
		s += " (origin " + e.Origin.String() + ")"
	} else {
		s += " (no key origin recorded)"
	}
	if e.Reason != nil {
		s += ": " + e.Reason.Error()
	}
	return s
}

// Unwrap makes errors.Is hold for ErrMissingKey and the Reason.
func (e *MissingKeyError) Unwrap() []error {
	if e.Reason == nil {
		return []error{ErrMissingKey}
	}
	return []error{ErrMissingKey, e.Reason}
}

// KeySource finds the private key of a hash160 (of a compressed public key).
type KeySource interface {
	PrivateKeyFor(hash160 [20]byte) (*btcec.PrivateKey, bool)
}

// KeyList is a KeySource over a set of keys (WIF imports, say).
type KeyList map[[20]byte]*btcec.PrivateKey

// NewKeyList indexes keys by the hash160 of their compressed public keys.
func NewKeyList(keys ...*btcec.PrivateKey) KeyList {
	l := KeyList{}
	for _, k := range keys {
		l[mvs.Hash160(k.PubKey().SerializeCompressed())] = k
	}
	return l
}

// PrivateKeyFor implements KeySource.
func (l KeyList) PrivateKeyFor(h [20]byte) (*btcec.PrivateKey, bool) { k, ok := l[h]; return k, ok }

// Keys returns a KeySource holding the private keys of m/0 … m/(count−1). It derives every
// one of them; when the Unsigned records key origins, SignWithAccount derives only the keys
// its inputs need.
func (a *Account) Keys(count uint32) (KeyList, error) {
	l := KeyList{}
	for i := uint32(0); i < count; i++ {
		k, err := a.PrivateKey(i)
		if err != nil {
			return nil, fmt.Errorf("m/%d: %w", i, err)
		}
		l[mvs.Hash160(k.PubKey().SerializeCompressed())] = k
	}
	return l, nil
}

// Unsigned is the offline-signing object: an unsigned transaction with everything a signer
// needs and nothing it must look up, because the signing machine has no chain access. For
// each input: the output it spends (value and script, so the signer can show what it signs),
// for P2SH the redeem script, and the key origin when known; multisig inputs collect
// partial signatures from several signers until enough are present. It serialises to JSON
// (format "mvsgo-unsigned-tx", version 1).
//
// The signature hash does not cover the values of the outputs spent, so PrevOuts alone are
// the online machine's word: one that under-states an input's value hides the fee it sets.
// PrevTxs, the whole transactions that created the spent outputs, prove them: each is
// hashed to its outpoint and its output compared with PrevOuts. Sign refuses to sign unless
// every input is proven this way (ErrUnprovenPrevOut), or the signer explicitly opts out
// with AllowUnprovenPrevOuts; it always refuses when PrevTxs contradict PrevOuts.
type Unsigned struct {
	Network  string
	Tx       *tx.Tx
	PrevOuts []tx.PrevOut
	Inputs   []InputInfo
	// PrevTxs are previous transactions proving PrevOuts (the builder attaches those of
	// coins that carry PrevTx; see also AddPrevTxs).
	PrevTxs []*tx.Tx
	// AllowUnprovenPrevOuts lets Sign, SignWithAccount and Fee trust PrevOuts that no
	// attached transaction proves. It is the signer's decision and is never serialised:
	// the JSON from the online machine cannot turn it on.
	AllowUnprovenPrevOuts bool
}

// InputInfo is per-input signing data.
type InputInfo struct {
	// RedeemScript is the P2SH redeem script (a multisig script), nil otherwise.
	RedeemScript []byte
	// Partial holds multisig signatures by compressed public key (hex).
	Partial map[string][]byte
	// Origin is the key that signs the input (for multisig, the key of one signer), when
	// known: SignWithAccount derives exactly it.
	Origin *KeyOrigin
}

type unsignedJSON struct {
	Format   string          `json:"format"`
	Version  int             `json:"version"`
	Network  string          `json:"network"`
	Tx       string          `json:"tx"`
	TxJSON   json.RawMessage `json:"tx_readable,omitempty"` // never parsed: only compared with the raw transaction's
	PrevOuts []tx.PrevOut    `json:"prevouts"`
	Inputs   []inputJSON     `json:"inputs"`
	PrevTxs  []string        `json:"prev_txs,omitempty"` // hex
}

type inputJSON struct {
	RedeemScript string            `json:"redeem_script,omitempty"`
	Partial      map[string]string `json:"partial_signatures,omitempty"`
	Origin       *KeyOrigin        `json:"origin,omitempty"`
}

// NewUnsigned bundles a transaction with the outputs its inputs spend (one per input, in
// order) and redeem scripts for P2SH inputs (nil entries elsewhere; redeem may be nil).
func NewUnsigned(t *tx.Tx, prevOuts []tx.PrevOut, redeem [][]byte, p *mvs.Params) (*Unsigned, error) {
	if len(prevOuts) != len(t.Inputs) {
		return nil, fmt.Errorf("%w: %d previous outputs for %d inputs", ErrUnsignedFormat, len(prevOuts), len(t.Inputs))
	}
	u := &Unsigned{Network: p.Name, Tx: t, PrevOuts: prevOuts, Inputs: make([]InputInfo, len(t.Inputs))}
	for i := range u.Inputs {
		if i < len(redeem) && redeem[i] != nil {
			if script.Script(prevOuts[i].Script).Class() != script.PayScriptHash ||
				!equal20(mvs.Hash160(redeem[i]), p2shHash(prevOuts[i].Script)) {
				return nil, fmt.Errorf("%w: input %d: redeem script does not hash to the previous output's P2SH", ErrUnsignedFormat, i)
			}
			u.Inputs[i].RedeemScript = redeem[i]
		}
		if t.Inputs[i].PreviousOutput != prevOuts[i].OutPoint {
			return nil, fmt.Errorf("%w: input %d spends %v, previous output given is %v", ErrUnsignedFormat, i,
				t.Inputs[i].PreviousOutput, prevOuts[i].OutPoint)
		}
	}
	return u, nil
}

func equal20(a, b [20]byte) bool { return a == b }

func p2shHash(s []byte) [20]byte {
	var h [20]byte
	if len(s) == 23 {
		copy(h[:], s[2:22])
	}
	return h
}

// MarshalJSON writes the exact transaction hex plus a readable copy.
func (u *Unsigned) MarshalJSON() ([]byte, error) {
	p, err := mvs.ParamsByName(u.Network)
	if err != nil {
		return nil, err
	}
	readable, err := json.Marshal(u.Tx.ToJSON(p))
	if err != nil {
		return nil, err
	}
	j := unsignedJSON{Format: "mvsgo-unsigned-tx", Version: 1, Network: u.Network, Tx: hex.EncodeToString(u.Tx.Bytes()),
		TxJSON: readable, PrevOuts: u.PrevOuts, Inputs: make([]inputJSON, len(u.Inputs))}
	for _, pt := range u.PrevTxs {
		j.PrevTxs = append(j.PrevTxs, hex.EncodeToString(pt.Bytes()))
	}
	for i, in := range u.Inputs {
		j.Inputs[i].RedeemScript = hex.EncodeToString(in.RedeemScript)
		j.Inputs[i].Origin = in.Origin
		if len(in.Partial) > 0 {
			j.Inputs[i].Partial = map[string]string{}
			for k, v := range in.Partial {
				j.Inputs[i].Partial[k] = hex.EncodeToString(v)
			}
		}
	}
	return json.MarshalIndent(j, "", "  ")
}

// UnmarshalJSON reads the object back. "tx" (hex) and each previous output's "script_hex"
// are authoritative; every other field present (tx_readable, ASM, addresses, ETP strings)
// must say exactly what the object re-serialised from them says, or the load fails with
// ErrReadableMismatch naming the field: a person checking the readable part at the cold
// signer sees what is signed. Unknown fields are refused the same way.
func (u *Unsigned) UnmarshalJSON(b []byte) error {
	var j unsignedJSON
	if err := json.Unmarshal(b, &j); err != nil {
		if errors.Is(err, tx.ErrTextMismatch) { // a previous output's readable script
			return fmt.Errorf("%w: prevouts: %v", ErrReadableMismatch, err)
		}
		return fmt.Errorf("%w: %v", ErrUnsignedFormat, err)
	}
	if j.Format != "mvsgo-unsigned-tx" || j.Version != 1 {
		return fmt.Errorf("%w: format %q version %d", ErrUnsignedFormat, j.Format, j.Version)
	}
	p, err := mvs.ParamsByName(j.Network)
	if err != nil {
		return err
	}
	raw, err := hex.DecodeString(j.Tx)
	if err != nil {
		return fmt.Errorf("%w: tx hex: %v", ErrUnsignedFormat, err)
	}
	t, err := tx.Decode(raw)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUnsignedFormat, err)
	}
	if len(j.Inputs) != len(t.Inputs) {
		return fmt.Errorf("%w: %d input records for %d inputs", ErrUnsignedFormat, len(j.Inputs), len(t.Inputs))
	}
	redeem := make([][]byte, len(j.Inputs))
	for i, in := range j.Inputs {
		if in.RedeemScript != "" {
			if redeem[i], err = hex.DecodeString(in.RedeemScript); err != nil {
				return fmt.Errorf("%w: input %d redeem script", ErrUnsignedFormat, i)
			}
		}
	}
	v, err := NewUnsigned(t, j.PrevOuts, redeem, p)
	if err != nil {
		return err
	}
	for i, in := range j.Inputs {
		v.Inputs[i].Origin = in.Origin
		for k, s := range in.Partial {
			sig, err := hex.DecodeString(s)
			if err != nil {
				return fmt.Errorf("%w: input %d partial signature", ErrUnsignedFormat, i)
			}
			if v.Inputs[i].Partial == nil {
				v.Inputs[i].Partial = map[string][]byte{}
			}
			v.Inputs[i].Partial[k] = sig
		}
	}
	for i, h := range j.PrevTxs {
		raw, err := hex.DecodeString(h)
		if err != nil {
			return fmt.Errorf("%w: previous transaction %d hex", ErrUnsignedFormat, i)
		}
		pt, err := tx.Decode(raw)
		if err != nil {
			return fmt.Errorf("%w: previous transaction %d: %v", ErrUnsignedFormat, i, err)
		}
		v.PrevTxs = append(v.PrevTxs, pt)
	}
	canonical, err := v.MarshalJSON()
	if err != nil {
		return err
	}
	if err := sameReadable(b, canonical); err != nil {
		return err
	}
	*u = *v
	return nil
}

// sameReadable checks that every field of the given JSON is in the canonical form with the
// same value (arrays of the same length): a field may be left out, but none may differ.
func sameReadable(given, canonical []byte) error {
	decode := func(b []byte) (any, error) {
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber() // compare numbers as written, without float rounding
		var v any
		err := d.Decode(&v)
		return v, err
	}
	g, err := decode(given)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUnsignedFormat, err)
	}
	c, err := decode(canonical)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUnsignedFormat, err)
	}
	return subsetOf("", g, c)
}

func subsetOf(path string, g, c any) error {
	switch gv := g.(type) {
	case map[string]any:
		cv, ok := c.(map[string]any)
		if !ok {
			return readableErr(path, g, c)
		}
		keys := make([]string, 0, len(gv))
		for k := range gv {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			cc, ok := cv[k]
			if !ok {
				if gv[k] == nil {
					continue // an explicit null says nothing
				}
				return fmt.Errorf("%w: %s is not a field of this format", ErrReadableMismatch, p)
			}
			if err := subsetOf(p, gv[k], cc); err != nil {
				return err
			}
		}
		return nil
	case []any:
		cv, ok := c.([]any)
		if !ok || len(cv) != len(gv) {
			return readableErr(path, g, c)
		}
		for i := range gv {
			if err := subsetOf(fmt.Sprintf("%s[%d]", path, i), gv[i], cv[i]); err != nil {
				return err
			}
		}
		return nil
	default:
		if g != c { // strings, json.Numbers, bools and nil compare by value
			return readableErr(path, g, c)
		}
		return nil
	}
}

func readableErr(path string, g, c any) error {
	show := func(v any) string {
		b, _ := json.Marshal(v)
		if len(b) > 120 {
			return string(b[:117]) + "..."
		}
		return string(b)
	}
	return fmt.Errorf("%w: %s is %s, but the raw data says %s", ErrReadableMismatch, path, show(g), show(c))
}

// ErrPrevOutMismatch: a previous transaction contradicts what PrevOuts say an input spends,
// or an input's previous output has no previous transaction to prove it
// (ErrUnprovenPrevOut, which wraps this error).
var ErrPrevOutMismatch = errors.New("wallet: previous output not proven by its transaction")

// ErrUnprovenPrevOut: an input's previous output has no attached previous transaction, so
// its value (and the fee) is the online machine's word. Sign refuses it unless
// Unsigned.AllowUnprovenPrevOuts; errors.Is(err, ErrPrevOutMismatch) holds too.
var ErrUnprovenPrevOut = fmt.Errorf("%w: no previous transaction attached", ErrPrevOutMismatch)

// AddPrevTxs attaches the transactions that created the outputs the inputs spend, after
// checking each against PrevOuts.
func (u *Unsigned) AddPrevTxs(txs ...*tx.Tx) error {
	u.PrevTxs = append(u.PrevTxs, txs...)
	if err := u.checkPrevTxs(false); err != nil {
		u.PrevTxs = u.PrevTxs[:len(u.PrevTxs)-len(txs)]
		return err
	}
	return nil
}

// ProvenInputs reports whether every input's previous output (value, script, attachment)
// is proven by an attached previous transaction. A signer without chain access should not
// sign what it cannot prove: the fee it would show could be anything.
func (u *Unsigned) ProvenInputs() error { return u.checkPrevTxs(true) }

func (u *Unsigned) checkPrevTxs(requireAll bool) error {
	byHash := make(map[mvs.Hash]*tx.Tx, len(u.PrevTxs))
	for _, pt := range u.PrevTxs {
		byHash[pt.Hash()] = pt
	}
	for i, po := range u.PrevOuts {
		pt, ok := byHash[po.OutPoint.Hash]
		if !ok {
			if requireAll {
				return fmt.Errorf("%w: input %d (%v)", ErrUnprovenPrevOut, i, po.OutPoint)
			}
			continue
		}
		if int(po.OutPoint.Index) >= len(pt.Outputs) {
			return fmt.Errorf("%w: input %d: %v has no output %d", ErrPrevOutMismatch, i, po.OutPoint.Hash, po.OutPoint.Index)
		}
		o := &pt.Outputs[po.OutPoint.Index]
		claimed := tx.Output{Value: po.Value, Script: po.Script, Attachment: po.Attachment}
		if !bytes.Equal((&tx.Tx{Outputs: []tx.Output{*o}}).Bytes(), (&tx.Tx{Outputs: []tx.Output{claimed}}).Bytes()) {
			return fmt.Errorf("%w: input %d: %v spends %d satoshi with script %x; the object says %d with %x",
				ErrPrevOutMismatch, i, po.OutPoint, o.Value, o.Script, po.Value, po.Script)
		}
	}
	return nil
}

// Sign signs every input it holds keys for: single-key inputs (P2PKH, pay-to-key, deposit,
// sequence and attenuation locks) get their scriptSig; a P2SH multisig input collects this
// signer's partial signatures and is assembled once m are present. Every input it completes
// is verified with the consensus interpreter.
//
// It first requires every input's previous output to be proven by an attached previous
// transaction (ErrUnprovenPrevOut; opt out with AllowUnprovenPrevOuts) and refuses
// contradicted ones (ErrPrevOutMismatch); it then signs nothing. Otherwise it signs what it
// can and returns how many inputs are still unsigned, with an error joining a
// *MissingKeyError (ErrMissingKey) for each single-key input it holds no key for. Multisig
// inputs short of signatures are counted but are not an error: they wait for co-signers.
func (u *Unsigned) Sign(keys KeySource, o tx.SignOptions) (remaining int, err error) {
	return u.sign(keys, o, nil)
}

// sign is Sign with a reason to give for each input's missing key (SignWithAccount's).
func (u *Unsigned) sign(keys KeySource, o tx.SignOptions, why map[int]error) (remaining int, err error) {
	if err := u.checkPrevTxs(!u.AllowUnprovenPrevOuts); err != nil {
		return u.remaining(), err
	}
	p, err := mvs.ParamsByName(u.Network)
	if err != nil {
		return u.remaining(), err
	}
	var problems []error
	for i := range u.Tx.Inputs {
		if u.inputDone(i) {
			continue
		}
		prev := u.PrevOuts[i].Script
		if redeem := u.Inputs[i].RedeemScript; redeem != nil {
			if err := u.signMultisig(i, redeem, keys, o); err != nil {
				return u.remaining(), err
			}
			continue
		}
		h, ok := keyHash(prev)
		if !ok {
			problems = append(problems, fmt.Errorf("input %d: %w: a %v script has no key to sign with", i,
				ErrUnsignedFormat, script.Classify(prev)))
			continue
		}
		k, ok := keys.PrivateKeyFor(h)
		if !ok {
			problems = append(problems, &MissingKeyError{Input: i, Address: mvs.NewPubKeyHashAddress(h, p),
				Origin: u.Inputs[i].Origin, Reason: why[i]})
			continue
		}
		if err := u.Tx.SignInput(i, prev, k, o); err != nil {
			return u.remaining(), fmt.Errorf("input %d: %w", i, err)
		}
		if err := u.Tx.VerifyInput(i, prev); err != nil {
			return u.remaining(), fmt.Errorf("input %d: signed but does not verify: %w", i, err)
		}
	}
	return u.remaining(), errors.Join(problems...)
}

func (u *Unsigned) remaining() int {
	n := 0
	for i := range u.Tx.Inputs {
		if !u.inputDone(i) {
			n++
		}
	}
	return n
}

// SignWithAccount signs with the keys of acct that the inputs' recorded origins name,
// deriving exactly those (not every key up to the highest deposit index, which takes
// minutes at 100,000 addresses). Each derived key must be the one the input's previous
// output pays to (for multisig, one of the redeem script's keys): otherwise it refuses,
// signing nothing, with ErrOriginKeyMismatch. A single-key input with no origin, or with
// another account's (ErrOriginFingerprint), is reported as a *MissingKeyError; the others
// are signed. Proofs are required as by Sign.
func (u *Unsigned) SignWithAccount(acct *Account, o tx.SignOptions) (remaining int, err error) {
	if acct == nil || acct.WatchOnly() {
		return u.remaining(), ErrWatchOnly
	}
	if err := u.checkPrevTxs(!u.AllowUnprovenPrevOuts); err != nil {
		return u.remaining(), err
	}
	fp := acct.Fingerprint()
	keys := KeyList{}
	why := map[int]error{}
	for i := range u.Tx.Inputs {
		org := u.Inputs[i].Origin
		if u.inputDone(i) || org == nil {
			continue
		}
		redeem := u.Inputs[i].RedeemScript
		if org.Fingerprint != fp {
			why[i] = fmt.Errorf("%w: origin %s, this account's fingerprint is %x", ErrOriginFingerprint, org, fp)
			continue
		}
		k, err := acct.PrivateKey(org.Index)
		if err != nil {
			return u.remaining(), fmt.Errorf("input %d: origin %s: %w", i, org, err)
		}
		pub := k.PubKey().SerializeCompressed()
		h := mvs.Hash160(pub)
		if redeem != nil {
			_, pubs, ok := script.MultisigKeys(redeem)
			found := false
			for _, p := range pubs {
				found = found || bytes.Equal(p, pub)
			}
			if !ok || !found {
				return u.remaining(), fmt.Errorf("input %d: %w: the key at %s is not in the redeem script", i, ErrOriginKeyMismatch, org)
			}
		} else if want, ok := keyHash(u.PrevOuts[i].Script); !ok || want != h {
			return u.remaining(), fmt.Errorf("input %d: %w: the key at %s hashes to %x, the output pays to %x", i, ErrOriginKeyMismatch, org, h, want)
		}
		keys[h] = k
	}
	return u.sign(keys, o, why)
}

// Fee is what the transaction pays: the previous outputs' values less the outputs'. It is
// only as true as the previous outputs, so it requires them proven (ErrUnprovenPrevOut)
// unless AllowUnprovenPrevOuts.
func (u *Unsigned) Fee() (mvs.Amount, error) {
	if err := u.checkPrevTxs(!u.AllowUnprovenPrevOuts); err != nil {
		return 0, err
	}
	var in, out mvs.Amount
	for _, p := range u.PrevOuts {
		var ok bool
		if in, ok = in.Add(p.Value); !ok {
			return 0, fmt.Errorf("%w: input values overflow", ErrUnsignedFormat)
		}
	}
	for _, o := range u.Tx.Outputs {
		var ok bool
		if out, ok = out.Add(o.Value); !ok {
			return 0, fmt.Errorf("%w: output values overflow", ErrUnsignedFormat)
		}
	}
	fee, ok := in.Sub(out)
	if !ok {
		return 0, fmt.Errorf("%w: outputs (%d) exceed inputs (%d)", ErrUnsignedFormat, out, in)
	}
	return fee, nil
}

// keyHash is the hash160 whose key spends a single-key script.
func keyHash(s []byte) ([20]byte, bool) {
	sc := script.Script(s)
	switch sc.Class() {
	case script.PayPublicKey:
		t := sc.Tokenize()
		if t.Next() {
			return mvs.Hash160(t.Op().Data), true
		}
	case script.PayKeyHash, script.PayKeyHashWithLockHeight, script.PayKeyHashWithSequenceLock, script.PayKeyHashWithAttenuationModel:
		if a, ok := sc.Address(mvs.MainNet()); ok { // the hash, whatever the network
			return a.Hash, true
		}
	}
	return [20]byte{}, false
}

func (u *Unsigned) inputDone(i int) bool {
	return len(u.Tx.Inputs[i].Script) > 0 && u.Tx.VerifyInput(i, u.PrevOuts[i].Script) == nil
}

func (u *Unsigned) signMultisig(i int, redeem []byte, keys KeySource, o tx.SignOptions) error {
	m, pubs, ok := script.MultisigKeys(redeem)
	if !ok {
		return fmt.Errorf("input %d: %w: redeem script is not multisig", i, ErrUnsignedFormat)
	}
	if u.Inputs[i].Partial == nil {
		u.Inputs[i].Partial = map[string][]byte{}
	}
	for _, pub := range pubs {
		k, ok := keys.PrivateKeyFor(mvs.Hash160(pub))
		if !ok {
			continue
		}
		sig, err := u.Tx.SignatureFor(i, redeem, k, o)
		if err != nil {
			return fmt.Errorf("input %d: %w", i, err)
		}
		u.Inputs[i].Partial[hex.EncodeToString(pub)] = sig
	}
	return u.assemble(i, m, pubs, redeem)
}

// assemble checks every partial signature and, with m valid ones, writes
// OP_0 <sigs in key order> <redeem script>. Signatures committing to every output
// (SIGHASH_ALL) are used first: a co-signer's SIGHASH_NONE must not displace ours and leave
// the outputs open to whoever relays the transaction.
func (u *Unsigned) assemble(i, m int, pubs [][]byte, redeem []byte) error {
	var all, others []int // indices into pubs of valid partials, by hash type
	for j, pub := range pubs {
		sig, ok := u.Inputs[i].Partial[hex.EncodeToString(pub)]
		if !ok {
			continue
		}
		ht, err := u.checkPartial(i, pub, sig, redeem)
		if err != nil {
			return err
		}
		if ht&script.SigHashMask == script.SigHashAll {
			all = append(all, j)
		} else {
			others = append(others, j)
		}
	}
	chosen := append(all, others...)
	if len(chosen) < m {
		return nil
	}
	chosen = chosen[:m]
	sort.Ints(chosen) // OP_CHECKMULTISIG takes signatures in key order
	sigs := make([][]byte, m)
	for n, j := range chosen {
		sigs[n] = u.Inputs[i].Partial[hex.EncodeToString(pubs[j])]
	}
	u.Tx.Inputs[i].Script = script.SignatureScriptMultisig(sigs, redeem)
	if err := u.Tx.VerifyInput(i, u.PrevOuts[i].Script); err != nil {
		return fmt.Errorf("input %d: assembled multisig does not verify: %w", i, err)
	}
	return nil
}

// checkPartial verifies one partial signature for input i under pub and returns its hash
// type.
func (u *Unsigned) checkPartial(i int, pub, sig, redeem []byte) (script.SigHashType, error) {
	der, ht, ok := script.SplitSignature(sig)
	digest, err := u.Tx.SignatureHash(i, redeem, ht)
	if !ok || err != nil || !script.VerifySignature(der, pub, digest) {
		return 0, fmt.Errorf("input %d: key %x: %w", i, pub, ErrBadPartial)
	}
	return ht, nil
}

// Combine merges the partial signatures another signer added to a copy of the same object.
// Each is checked before it is taken: a signature for a key outside the redeem script, one
// that does not verify, or one that does not commit to every output (anything but
// SIGHASH_ALL, with or without ANYONECANPAY) is refused, and reported in the returned
// error, without displacing what this object holds; the valid rest is merged. A completed
// input script from the other copy is taken only if it verifies.
func (u *Unsigned) Combine(other *Unsigned) error {
	if other.Tx.SignatureHashKey() != u.Tx.SignatureHashKey() || len(other.Inputs) != len(u.Inputs) {
		return ErrMismatch
	}
	var refused error
	for i := range u.Inputs {
		if len(other.Tx.Inputs[i].Script) > 0 && !u.inputDone(i) {
			saved := u.Tx.Inputs[i].Script
			u.Tx.Inputs[i].Script = other.Tx.Inputs[i].Script
			if !u.inputDone(i) {
				u.Tx.Inputs[i].Script = saved
				refused = errors.Join(refused, fmt.Errorf("input %d: %w: its script does not verify", i, ErrBadPartial))
			}
		}
		redeem := u.Inputs[i].RedeemScript
		m, pubs, isMultisig := script.MultisigKeys(redeem)
		keys := make([]string, 0, len(other.Inputs[i].Partial))
		for k := range other.Inputs[i].Partial {
			keys = append(keys, k)
		}
		sort.Strings(keys) // deterministic errors
		for _, k := range keys {
			sig := other.Inputs[i].Partial[k]
			if _, have := u.Inputs[i].Partial[k]; have {
				continue // ours was checked when it was added
			}
			var pub []byte
			for _, p := range pubs {
				if hex.EncodeToString(p) == k {
					pub = p
				}
			}
			if !isMultisig || pub == nil {
				refused = errors.Join(refused, fmt.Errorf("input %d: key %s: %w: not in the redeem script", i, k, ErrBadPartial))
				continue
			}
			ht, err := u.checkPartial(i, pub, sig, redeem)
			if err == nil && ht&script.SigHashMask != script.SigHashAll {
				err = fmt.Errorf("input %d: key %s: %w: hash type %#x does not commit to every output", i, k, ErrBadPartial, uint32(ht))
			}
			if err != nil {
				refused = errors.Join(refused, err)
				continue
			}
			if u.Inputs[i].Partial == nil {
				u.Inputs[i].Partial = map[string][]byte{}
			}
			u.Inputs[i].Partial[k] = sig
		}
		if isMultisig && !u.inputDone(i) {
			if err := u.assemble(i, m, pubs, redeem); err != nil {
				return errors.Join(refused, err)
			}
		}
	}
	return refused
}

// Final returns the signed transaction once every input verifies.
func (u *Unsigned) Final() (*tx.Tx, error) {
	var missing []int
	for i := range u.Tx.Inputs {
		if !u.inputDone(i) {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		sort.Ints(missing)
		return nil, fmt.Errorf("%w: %v", ErrIncomplete, missing)
	}
	return u.Tx, nil
}
