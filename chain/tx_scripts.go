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
		s := &txs[i]
		if s.Tx == nil || len(s.Prev) != len(s.Tx.Inputs) {
			return fmt.Errorf("%w: Spent %d: a transaction and one previous output per input are needed", ErrTxContext, i)
		}
		total += len(s.Tx.Inputs)
	}
	if total == 0 {
		return ctx.Err()
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, total)

	var (
		first atomic.Int64 // ordinal of the first failure found so far
		mu    sync.Mutex
		fail  struct {
			tx, in int
			err    error
		}
		wg sync.WaitGroup
	)
	first.Store(math.MaxInt64)
	jobs := make(chan scriptJob, 4*workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var chk *tx.InputChecker
			cur := -1
			for j := range jobs {
				// Inputs after a failure cannot change the answer; those before it can.
				if ctx.Err() != nil || j.ord > first.Load() {
					continue
				}
				t := txs[j.tx].Tx
				if j.tx != cur {
					chk, cur = tx.NewInputChecker(t, j.in), j.tx
				}
				chk.SetInput(j.in)
				if err := verifyInput(chk, t, j.in, txs[j.tx].Prev[j.in].Output.Script); err != nil {
					mu.Lock()
					if j.ord < first.Load() {
						first.Store(j.ord)
						fail.tx, fail.in, fail.err = j.tx, j.in, err
					}
					mu.Unlock()
				}
			}
		}()
	}
	var ord int64
produce:
	for ti := range txs {
		for ii := range txs[ti].Tx.Inputs {
			if ord > first.Load() {
				break produce
			}
			select {
			case jobs <- scriptJob{tx: ti, in: ii, ord: ord}:
			case <-ctx.Done():
				break produce
			}
			ord++
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("chain: script verification of block %d stopped: %w", height, err)
	}
	if fail.err != nil {
		se := &ScriptError{TxHash: txs[fail.tx].Tx.Hash(), TxIndex: fail.tx, Input: fail.in, Err: fail.err}
		e := ruleErr(ErrScript, height, mvs.Hash{}, "tx %s (#%d in the batch): input %d: %v", se.TxHash, fail.tx, fail.in, fail.err)
		e.Err = se
		return e
	}
	return nil
}
