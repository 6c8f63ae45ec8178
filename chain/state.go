package chain

import (
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/store"
)

// State is the chain state the block rules read and the registry records a block writes,
// over a store: the registries (assets, certificates, MITs, DIDs) as the rules query them,
// the stake and mining lookups of the block rules, and the record writes that connecting a
// block makes. NewStoreState gives the one over package store; tests may give their own.
type State interface {
	// Registries are the asset and DID registries as of the tip (the block's parent).
	Registries() Registries
	// Lookups are the stake-lock and mining-certificate queries of the block rules.
	Lookups() BlockLookups
	// RecordWrites are the registry records that connecting blk at height writes (issues,
	// supply, certificates, MITs, DID bindings and their history, holders), computed from
	// the state before the block; view resolves what its inputs spend.
	RecordWrites(blk *block.Block, height uint32, view UTXOView) ([]store.RecordWrite, error)
}
