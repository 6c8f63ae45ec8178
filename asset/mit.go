package asset

import (
	"fmt"

	"github.com/mvsgo/mvs/tx"
)

// checkMITTx is check_asset_mit_transaction, for a transaction with a MIT output: either
// registrations (one or more, all to one address, of symbols not yet registered) or one
// transfer, with only ETP to that same address and messages beside. The ETP inputs must
// come from that address, MIT inputs must carry the (last) MIT symbol, and a transfer must
// spend the MIT it moves.
func (c *checker) checkMITTx() error {
	has := false
	for i := range c.t.Outputs {
		if mitOf(&c.t.Outputs[i].Attachment) != nil {
			has = true
			break
		}
	}
	if !has {
		return nil
	}
	var (
		symbol, address      string
		nRegister, nTransfer int
	)
	for i := range c.t.Outputs {
		o := &c.t.Outputs[i]
		a := &o.Attachment
		m := mitOf(a)
		switch {
		case m != nil && m.Status == tx.MITStatusRegister:
			nRegister++
			symbol = m.Symbol
			if !same(&address, m.Address) {
				return fmt.Errorf("output[%d]: %w: registers to %q after %q", i, ErrMITAddress, m.Address, address)
			}
			_, exists, err := c.reg.MIT(symbol)
			if err != nil {
				return fmt.Errorf("%w: MIT %q: %w", ErrRegistry, symbol, err)
			}
			if exists {
				return fmt.Errorf("output[%d]: %w: %q", i, ErrMITExists, symbol)
			}
		case m != nil && m.Status == tx.MITStatusTransfer:
			if nTransfer++; nTransfer > 1 {
				return fmt.Errorf("output[%d]: %w: a second MIT transfer", i, ErrMITShape)
			}
			symbol = m.Symbol
		case isETP(a):
			if got := c.outAddr(i); !same(&address, got) {
				return fmt.Errorf("output[%d]: %w: ETP to %q beside %q", i, ErrMITAddress, got, address)
			}
		case !isMessage(a):
			return fmt.Errorf("output[%d]: %w: %v", i, ErrMITShape, a.Type)
		}
	}
	if nRegister == 0 && nTransfer == 0 || nRegister > 0 && nTransfer > 0 {
		return fmt.Errorf("%w: %d registrations, %d transfers", ErrMITShape, nRegister, nTransfer)
	}
	if c.coinbase {
		return fmt.Errorf("%w: a coinbase has no inputs", ErrMITInput)
	}
	spent := false
	for i := range c.prev {
		in := &c.prev[i]
		a := &in.Attachment
		if isETP(a) {
			if got := c.inAddr(i); got != address {
				return fmt.Errorf("input[%d]: %w: ETP from %q, MIT at %q", i, ErrMITInput, got, address)
			}
		} else if m := mitOf(a); m != nil {
			if m.Symbol != symbol {
				return fmt.Errorf("input[%d]: %w: spends MIT %q, moves %q", i, ErrMITInput, m.Symbol, symbol)
			}
			spent = true
		}
	}
	if nTransfer > 0 && !spent {
		return fmt.Errorf("%w: transfer of %q spends no MIT", ErrMITInput, symbol)
	}
	return nil
}

// checkMITInputs is check_asset_mit, for a transaction with a MIT transfer output: exactly
// one, of the symbol the inputs carry, with only ETP and messages beside.
func (c *checker) checkMITInputs() error {
	has := false
	for i := range c.t.Outputs {
		if m := mitOf(&c.t.Outputs[i].Attachment); m != nil && m.Status == tx.MITStatusTransfer {
			has = true
			break
		}
	}
	if !has {
		return nil
	}
	n := 0
	for i := range c.t.Outputs {
		a := &c.t.Outputs[i].Attachment
		m := mitOf(a)
		switch {
		case m != nil && m.Status == tx.MITStatusTransfer:
			if n++; n > 1 {
				return fmt.Errorf("output[%d]: %w: a second MIT transfer", i, ErrMITShape)
			}
			if m.Symbol != c.symbolIn {
				return fmt.Errorf("output[%d]: %w: moves %q, inputs carry %q", i, ErrMITInput, m.Symbol, c.symbolIn)
			}
		case !isETP(a) && !isMessage(a):
			return fmt.Errorf("output[%d]: %w: %v", i, ErrMITShape, a.Type)
		}
	}
	return nil
}
