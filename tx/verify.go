package tx

import (
	"fmt"

	"github.com/mvsgo/mvs"

	"github.com/mvsgo/mvs/tx/script"
)

// InputChecker implements script.Checker for one input of a transaction: it computes the
// signature hash and checks CLTV and CSV against the transaction's fields. Reuse one checker
// (SetInput) across inputs to reuse its buffer.
type InputChecker struct {
	tx    *Tx
	index int
	buf   []byte
}

// NewInputChecker returns a checker for input i of t.
func NewInputChecker(t *Tx, i int) *InputChecker { return &InputChecker{tx: t, index: i} }

// SetInput points the checker at another input of the same transaction.
func (c *InputChecker) SetInput(i int) { c.index = i }

// CheckSig implements script.Checker.
func (c *InputChecker) CheckSig(sig, pubKey, scriptCode []byte) bool {
	der, ht, ok := script.SplitSignature(sig)
	if !ok {
		return false
	}
	if c.buf == nil {
		c.buf = make([]byte, 0, c.tx.SerializeSize()+len(scriptCode)+8)
	}
	digest, err := c.tx.signatureHash(c.buf, c.index, scriptCode, ht)
	if err != nil {
		return false
	}
	return script.VerifySignature(der, pubKey, digest)
}

// CheckLockTime implements script.Checker (OP_CHECKLOCKTIMEVERIFY).
func (c *InputChecker) CheckLockTime(lockTime int64) bool {
	return script.CheckLockTime(c.tx.LockTime, c.tx.Inputs[c.index].Sequence, lockTime)
}

// CheckSequence implements script.Checker (OP_CHECKSEQUENCEVERIFY, MVS masks).
func (c *InputChecker) CheckSequence(sequence int64) bool {
	return script.CheckSequence(c.tx.Version, c.tx.Inputs[c.index].Sequence, sequence)
}

// VerifyInput runs input i's scriptSig against the script of the output it spends with the
// reference node's consensus flags. It returns nil or the interpreter's *script.Error.
func (t *Tx) VerifyInput(i int, prevScript []byte) error {
	if i < 0 || i >= len(t.Inputs) {
		return fmt.Errorf("%w: %d of %d", ErrInputIndex, i, len(t.Inputs))
	}
	return script.Verify(script.NodeForm(t.Inputs[i].Script), script.NodeForm(prevScript), script.ConsensusFlags, NewInputChecker(t, i))
}

// VerifyInputs verifies every input against prevScripts (one per input, in order) and
// returns one error per input (nil where it holds).
func (t *Tx) VerifyInputs(prevScripts [][]byte) []error {
	errs := make([]error, len(t.Inputs))
	c := NewInputChecker(t, 0)
	for i := range t.Inputs {
		if i >= len(prevScripts) {
			errs[i] = fmt.Errorf("input %d: no previous output script given", i)
			continue
		}
		c.SetInput(i)
		errs[i] = script.Verify(script.NodeForm(t.Inputs[i].Script), script.NodeForm(prevScripts[i]), script.ConsensusFlags, c)
	}
	return errs
}

// ImpliedPrevScript returns the previous output script an input script implies when it has
// the P2PKH spend shape <sig> <pubkey>: the P2PKH script of the key's hash160. Explorers
// and `mvs-cli tx verify` use it to check a transaction without its previous outputs.
func ImpliedPrevScript(scriptSig []byte) ([]byte, bool) {
	s := script.Script(scriptSig)
	if s.Class() != script.SignKeyHash {
		return nil, false
	}
	t := s.Tokenize()
	var pushes [2][]byte
	n := 0
	for t.Next() {
		if n < 2 {
			pushes[n] = t.Op().Data
		}
		n++
	}
	if n != 2 || t.Err() != nil {
		return nil, false
	}
	return script.PayToPubKeyHash(mvs.Hash160(pushes[1])), true
}
