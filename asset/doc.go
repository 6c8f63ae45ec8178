// Package asset gives MVS assets their meaning beyond the bytes package tx decodes. It holds
// the attenuation models (MIP-7/8, "locked MST") as pure functions of a model param, the
// amounts and block heights, ported from the reference node's attenuation_model.cpp with its
// quirks:
//
//   - ExpandModel turns what a user writes for a new lock into the param that goes on chain
//     (PN and LH prefixed; a fixed-inflation model's periods computed from IR in the node's
//     double arithmetic, with C's correctly rounded pow).
//   - CheckNewModel and ValidateModel are the chain's checks of a new lock and of every
//     lock's param.
//   - Unlock says how much of a locked amount a given number of blocks has released and how
//     the param continues; DiffHeight is its inverse on two params.
//   - CheckSpend is the chain's rule for a transaction that spends locked outputs: each is
//     either matured or relocked with exactly what Unlock leaves, under the advanced param,
//     naming the spent outpoint. wallet.Builder.SpendLocked builds such transactions.
//
// The architecture also gives this package certificates, MIT and the validation of asset
// transactions against a registry; those need the chain state that package chain will
// provide and are not here yet. The symbol rules the node applies without chain state live
// in package tx (ValidAssetSymbol and friends), which checks them in CheckSanity. Errors match ErrModel with errors.Is and
// carry the param and reason as a *ModelError.
package asset
