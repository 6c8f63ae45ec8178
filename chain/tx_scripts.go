package chain

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
)

// Spent is a transaction with the outputs its inputs spend, in input order: what verifying
// its input scripts needs. CheckTxDeferScripts returns one.
type Spent struct {
	Tx   *tx.Tx
	Prev []UTXO
}

// ScriptOptions tune VerifyScripts.
type ScriptOptions struct {
	// AssumeValid skips every script check: the caller has decided that the block lies in
	// history it trusts (below a checkpoint or an assumed-valid block it knows to be on the
	// best chain). Every other rule still applies through CheckTxDeferScripts.
	AssumeValid bool
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	Workers int
}

// ScriptError says which input script failed: the cause of an ErrScript refusal, found with
// errors.As. It wraps the interpreter's *script.Error.
type ScriptError struct {
	TxHash mvs.Hash
	// TxIndex is the transaction's position in the VerifyScripts batch (-1 from CheckTx).
	TxIndex int
	Input   int
	Err     error
}

func (e *ScriptError) Error() string {
	return fmt.Sprintf("tx %s input %d: %v", e.TxHash, e.Input, e.Err)
}

func (e *ScriptError) Unwrap() error { return e.Err }

// scriptJob is one input to verify: the ordinal orders inputs across the block.
type scriptJob struct {
	s      Spent
	tx, in int
	ord    int64
}

// VerifyScripts checks the input scripts of a block's transactions (from CheckTxDeferScripts)
// spread over o.Workers goroutines, with the consensus flags. Memory stays bounded whatever
// the block: one producer feeds a fixed channel and each worker reuses one signature-hash
// buffer per transaction; no goroutine is started per input. When several inputs fail, the
// one reported is the first in block order, as a sequential check would find it: a
// *RuleError with ErrScript at height, wrapping a *ScriptError (which input) that wraps the
// interpreter's *script.Error.
//
// Cancelling ctx stops the work and returns an error wrapping ctx.Err() (not a refusal).
func VerifyScripts(ctx context.Context, height uint32, txs []Spent, o ScriptOptions) error {
	if o.AssumeValid {
		return nil
	}
	total := 0
	for i := range txs {
		if err := txs[i].check(i); err != nil {
			return err
		}
		total += len(txs[i].Tx.Inputs)
	}
	if total == 0 {
		return ctx.Err()
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	b := newScriptBatch(ctx, height, min(workers, total))
	for i := range txs {
		if !b.add(txs[i]) {
			break
		}
	}
	return b.wait()
}

func (s *Spent) check(i int) error {
	if s.Tx == nil || len(s.Prev) != len(s.Tx.Inputs) {
		return fmt.Errorf("%w: Spent %d: a transaction and one previous output per input are needed", ErrTxContext, i)
	}
	return nil
}

// scriptBatch is VerifyScripts fed one transaction at a time: block connection adds each
// transaction as soon as its rules have passed and its inputs are resolved, so that the
// workers verify while the rest of the block is still being checked, instead of idling until
// the last transaction is. wait then gives VerifyScripts' answer for everything added.
type scriptBatch struct {
	parent context.Context // the caller's
	ctx    context.Context // parent's child, also cancelled by stop
	cancel context.CancelFunc
	height uint32
	jobs   chan scriptJob
	wg     sync.WaitGroup
	n      int   // transactions added
	ord    int64 // inputs added
	closed bool

	first atomic.Int64 // ordinal of the first failure found so far
	mu    sync.Mutex
	fail  struct {
		s      Spent
		tx, in int
		err    error
	}
}

// scriptQueue is how many inputs the batch holds for its workers: enough that the
// producer rarely waits for them, bounded whatever the block.
const scriptQueue = 1024

// newScriptBatch starts workers goroutines (0: GOMAXPROCS) verifying what add gives them.
// Every batch must end with wait.
func newScriptBatch(ctx context.Context, height uint32, workers int) *scriptBatch {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	b := &scriptBatch{parent: ctx, height: height, jobs: make(chan scriptJob, scriptQueue)}
	b.ctx, b.cancel = context.WithCancel(ctx)
	b.first.Store(math.MaxInt64)
	for range workers {
		b.wg.Go(b.work)
	}
	return b
}

func (b *scriptBatch) work() {
	var chk *tx.InputChecker
	var cur *tx.Tx
	for j := range b.jobs {
		// Inputs after a failure cannot change the answer; those before it can.
		if b.ctx.Err() != nil || j.ord > b.first.Load() {
			continue
		}
		t := j.s.Tx
		if t != cur {
			chk, cur = tx.NewInputChecker(t, j.in), t
		}
		chk.SetInput(j.in)
		if err := verifyInput(chk, t, j.in, j.s.Prev[j.in].Output.Script); err != nil {
			b.mu.Lock()
			if j.ord < b.first.Load() {
				b.first.Store(j.ord)
				b.fail.s, b.fail.tx, b.fail.in, b.fail.err = j.s, j.tx, j.in, err
			}
			b.mu.Unlock()
		}
	}
}

// add queues the inputs of s (s.check has passed), whose transaction and previous outputs
// must not change until wait returns.
// It returns false once nothing added from now on can change the answer: an input already
// failed, or the context ended.
func (b *scriptBatch) add(s Spent) bool {
	ti := b.n
	b.n++
	for ii := range s.Tx.Inputs {
		if b.ord > b.first.Load() {
			return false
		}
		select {
		case b.jobs <- scriptJob{s: s, tx: ti, in: ii, ord: b.ord}:
		case <-b.ctx.Done():
			return false
		}
		b.ord++
	}
	return true
}

// wait lets the workers finish what was added and returns VerifyScripts' answer for it.
func (b *scriptBatch) wait() error {
	if !b.closed {
		b.closed = true
		close(b.jobs)
	}
	b.wg.Wait()
	b.cancel()
	if err := b.parent.Err(); err != nil {
		return fmt.Errorf("chain: script verification of block %d stopped: %w", b.height, err)
	}
	if b.fail.err != nil {
		f := &b.fail
		se := &ScriptError{TxHash: f.s.Tx.Hash(), TxIndex: f.tx, Input: f.in, Err: f.err}
		e := ruleErr(ErrScript, b.height, mvs.Hash{}, "tx %s (#%d in the batch): input %d: %v", se.TxHash, f.tx, f.in, f.err)
		e.Err = se
		return e
	}
	return nil
}

// stop abandons the batch (the block was refused before its scripts mattered) and waits for
// the workers to leave.
func (b *scriptBatch) stop() {
	b.cancel()
	_ = b.wait()
}
