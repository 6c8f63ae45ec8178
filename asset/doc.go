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
// Model errors match ErrModel with errors.Is and carry the param and reason as a
// *ModelError. The symbol rules the node applies without chain state live in package tx
// (ValidAssetSymbol and friends), which checks them in CheckSanity.
//
// Chain rules. CheckTx is the node's asset, certificate and MIT rules for one transaction
// in context (validate_transaction.cpp), as a pure function of the transaction, the outputs
// its inputs spend, the height of the block it goes in, the network and a Registry: the
// read-only view of the symbols the chain has registered, which package chain implements
// over its store and MemRegistry over maps. It covers issue (threshold, no existing symbol,
// the issue, domain or naming and mining certificates that go with it, a valid model on a
// locked issue), secondary issue (MIP-3/4: the issue certificate spent and returned, the
// issuer's share shown by spending and returning it, OwnsEnough, no supply overflow),
// conservation of each asset in transfers (burning is a transfer to the blackhole
// address), certificate issue and transfer (naming under a spent domain certificate,
// secondary witness under its primary, no certificate lost), MIT registration and
// transfer, and through CheckSpend the attenuation locks spent. BlockRegistrations adds the block's rule that no symbol is registered twice in
// it. Each rule has its own error (ErrAssetExists, ErrAssetAmount, ErrCertLost, ...),
// matched with errors.Is.
//
// The node's quirks are the rules: a transaction with no asset transfer output may drop
// the assets it spends, one with no certificate output the certificates; the share a
// secondary issue needs is computed in double precision with one unit of slack; a domain
// certificate output placed before the issue it accompanies is not matched to its domain;
// any certificate type but naming and witness may be issued by whoever claims a free
// symbol, and a secondary issue is judged by the threshold its own output declares. So an
// asset with no issue certificate (one issued with threshold 0, say) is not protected from
// more supply: whoever first issues its free issue certificate may then issue more of it,
// as the node accepts; watch for issue certificates of assets you hold. Nor are
// auto-issued certificates looked up: an issue of FOO.X may auto-issue a FOO domain
// certificate while another holds FOO's.
//
// The issue and DID fees are miner policy, not rules: the node checks them only when its
// own miner selects transactions. CheckSpecialFees applies them for a miner or relay that
// wants the node's policy. Consensus does not limit an asset's decimals.
package asset
