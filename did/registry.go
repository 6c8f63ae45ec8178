package did

import (
	"fmt"
	"math"
	"sync"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
)

// Binding is one step of a DID's history: a registration or a transfer, confirmed in the
// block at Height by the DID output at OutPoint, binding Symbol to Address.
type Binding struct {
	Symbol  string
	Address string
	// Status is tx.DIDStatusRegister or tx.DIDStatusTransfer.
	Status   uint32
	Height   uint64
	OutPoint tx.OutPoint
}

// The node's database is created with one DID already in it: BLACKHOLE, bound to the burn
// address at height 2^32−1 (data_base::set_blackhole_did). A Registry must report it the
// same way, at every height: Resolve and History find it, and SymbolOf(mvs.BlackholeAddress)
// is BlackholeSymbol. Its height matters: when the node validates a block it counts a symbol
// as registered only if its registration height is below the block's, so a block may
// register "BLACKHOLE" again; CheckTx reproduces that by comparing heights.
const (
	BlackholeSymbol        = "BLACKHOLE"
	BlackholeHeight uint64 = math.MaxUint32
)

// BlackholeBinding is the seeded binding every Registry reports.
func BlackholeBinding() Binding {
	return Binding{Symbol: BlackholeSymbol, Address: mvs.BlackholeAddress, Status: tx.DIDStatusRegister,
		Height: BlackholeHeight, OutPoint: tx.OutPoint{Index: math.MaxUint32}}
}

// Registry is the read-only view of DID state that validation and resolution consume;
// package chain implements it over its store, and Memory implements it in memory. A height
// argument asks for the state after the block at that height was connected (inclusive), on
// the chain the registry follows. An error means the registry could not answer, never that
// something is absent.
//
// Symbols and addresses are compared as exact strings, as the node does.
type Registry interface {
	// Resolve returns symbol's current binding at height; ok is false when symbol had not
	// been registered by then.
	Resolve(symbol string, height uint64) (b Binding, ok bool, err error)
	// History returns every binding of symbol confirmed at or below height, oldest first
	// (the registration, then each transfer); empty when there is none.
	History(symbol string, height uint64) ([]Binding, error)
	// SymbolOf returns the DID bound to address at height: the symbol whose current
	// binding names address. An address that held a DID and passed it on has none.
	SymbolOf(address string, height uint64) (symbol string, ok bool, err error)
}

// Memory is a Registry held in memory, fed with confirmed transactions in height order. It
// serves tests, examples and explorers that index a range of blocks; it is safe for
// concurrent use. The zero value is not ready: use NewMemory.
type Memory struct {
	mu     sync.RWMutex
	hist   map[string][]Binding // by symbol, ascending height
	byAddr map[string][]Binding // bindings naming an address, in the order applied
	tip    uint64
}

// NewMemory returns a registry that holds only the seeded BLACKHOLE binding.
func NewMemory() *Memory {
	m := &Memory{hist: map[string][]Binding{}, byAddr: map[string][]Binding{}}
	b := BlackholeBinding()
	m.hist[b.Symbol] = []Binding{b}
	m.byAddr[b.Address] = []Binding{b}
	return m
}

// Outputs returns the bindings that t's DID outputs make when t is confirmed at height:
// what Memory.Apply records and what an explorer indexes. It does not validate t.
func Outputs(t *tx.Tx, height uint64) []Binding {
	var out []Binding
	var h mvs.Hash
	for i := range t.Outputs {
		d, ok := t.Outputs[i].Attachment.Payload.(*tx.DID)
		if !ok || t.Outputs[i].Attachment.Type != tx.TypeDID {
			continue
		}
		if d.Status != tx.DIDStatusRegister && d.Status != tx.DIDStatusTransfer {
			continue
		}
		if out == nil {
			h = t.Hash()
		}
		out = append(out, Binding{Symbol: d.Symbol, Address: d.Address, Status: d.Status, Height: height,
			OutPoint: tx.OutPoint{Hash: h, Index: uint32(i)}})
	}
	return out
}

// Apply records the DID outputs of t, confirmed in the block at height. Transactions must
// come in chain order; a height below one already applied is refused with ErrHeight (use
// Rewind first on a reorganisation). Apply trusts t: validate it with CheckTx first.
func (m *Memory) Apply(t *tx.Tx, height uint64) error {
	bs := Outputs(t, height)
	m.mu.Lock()
	defer m.mu.Unlock()
	if height < m.tip {
		return fmt.Errorf("%w: %d after %d", ErrHeight, height, m.tip)
	}
	m.tip = height
	for _, b := range bs {
		m.hist[b.Symbol] = append(m.hist[b.Symbol], b)
		m.byAddr[b.Address] = append(m.byAddr[b.Address], b)
	}
	return nil
}

// Rewind forgets every binding confirmed above height, as a reorganisation that
// disconnects those blocks requires.
func (m *Memory) Rewind(height uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for sym, hs := range m.hist {
		if hs = keepVisible(hs, height); len(hs) == 0 {
			delete(m.hist, sym)
		} else {
			m.hist[sym] = hs
		}
	}
	for addr, bs := range m.byAddr {
		if bs = keepVisible(bs, height); len(bs) == 0 {
			delete(m.byAddr, addr)
		} else {
			m.byAddr[addr] = bs
		}
	}
	if m.tip > height {
		m.tip = height
	}
}

// keepVisible drops the bindings above height from a list in ascending application order.
func keepVisible(bs []Binding, height uint64) []Binding {
	n := len(bs)
	for n > 0 && !visible(bs[n-1], height) {
		n--
	}
	return bs[:n]
}

// visible reports whether b is part of the state at height: confirmed at or below it, or the
// seeded BLACKHOLE binding, which the node's database reports at every height.
func visible(b Binding, height uint64) bool {
	return b.Height <= height || (b.Height == BlackholeHeight && b.Symbol == BlackholeSymbol)
}

// history returns the visible prefix of symbol's bindings; the caller holds the lock.
func (m *Memory) history(symbol string, height uint64) []Binding {
	hs := m.hist[symbol]
	n := 0
	for n < len(hs) && visible(hs[n], height) {
		n++
	}
	return hs[:n]
}

// Resolve implements Registry.
func (m *Memory) Resolve(symbol string, height uint64) (Binding, bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	hs := m.history(symbol, height)
	if len(hs) == 0 {
		return Binding{}, false, nil
	}
	return hs[len(hs)-1], true, nil
}

// History implements Registry.
func (m *Memory) History(symbol string, height uint64) ([]Binding, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return append([]Binding(nil), m.history(symbol, height)...), nil
}

// SymbolOf implements Registry the node's way (get_did_from_address): take the newest DID
// output that named address and keep its symbol only if that DID still names address.
func (m *Memory) SymbolOf(address string, height uint64) (string, bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	bs := m.byAddr[address]
	for k := len(bs) - 1; k >= 0; k-- {
		if !visible(bs[k], height) {
			continue
		}
		hs := m.history(bs[k].Symbol, height)
		if len(hs) > 0 && hs[len(hs)-1].Address == address {
			return bs[k].Symbol, true, nil
		}
		return "", false, nil
	}
	return "", false, nil
}
