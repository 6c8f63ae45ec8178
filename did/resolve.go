package did

import (
	"fmt"

	"github.com/mvsgo/mvs/tx"
)

// Resolve returns the binding symbol has at height (after that block): its current address
// and the height and output that bound it. A symbol that is not well formed, or not
// registered by then, is ErrNotFound; a registry failure wraps ErrRegistry.
func Resolve(reg Registry, symbol string, height uint64) (Binding, error) {
	if reg == nil {
		return Binding{}, fmt.Errorf("%w: nil Registry", ErrRegistry)
	}
	if !tx.ValidDIDSymbol(symbol) {
		return Binding{}, fmt.Errorf("%w: %q is not a DID symbol", ErrNotFound, symbol)
	}
	b, ok, err := reg.Resolve(symbol, height)
	if err != nil {
		return Binding{}, fmt.Errorf("%w: resolve %q at %d: %w", ErrRegistry, symbol, height, err)
	}
	if !ok {
		return Binding{}, fmt.Errorf("%w: %q at height %d", ErrNotFound, symbol, height)
	}
	return b, nil
}

// AddressOf returns the address symbol is bound to at height.
func AddressOf(reg Registry, symbol string, height uint64) (string, error) {
	b, err := Resolve(reg, symbol, height)
	return b.Address, err
}

// SymbolOf returns the DID bound to address at height, or ErrNotFound.
func SymbolOf(reg Registry, address string, height uint64) (string, error) {
	if reg == nil {
		return "", fmt.Errorf("%w: nil Registry", ErrRegistry)
	}
	s, ok, err := reg.SymbolOf(address, height)
	if err != nil {
		return "", fmt.Errorf("%w: DID of %s at %d: %w", ErrRegistry, address, height, err)
	}
	if !ok {
		return "", fmt.Errorf("%w: no DID for %s at height %d", ErrNotFound, address, height)
	}
	return s, nil
}

// History returns symbol's registration and transfers up to height, oldest first, or
// ErrNotFound when it had none by then.
func History(reg Registry, symbol string, height uint64) ([]Binding, error) {
	if reg == nil {
		return nil, fmt.Errorf("%w: nil Registry", ErrRegistry)
	}
	if !tx.ValidDIDSymbol(symbol) {
		return nil, fmt.Errorf("%w: %q is not a DID symbol", ErrNotFound, symbol)
	}
	hs, err := reg.History(symbol, height)
	if err != nil {
		return nil, fmt.Errorf("%w: history of %q at %d: %w", ErrRegistry, symbol, height, err)
	}
	if len(hs) == 0 {
		return nil, fmt.Errorf("%w: %q at height %d", ErrNotFound, symbol, height)
	}
	return hs, nil
}
