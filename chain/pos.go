package chain

import (
	"fmt"
	"math"
	"math/big"
	"strconv"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// PoS constants (constants.cpp).
const (
	// MinStakeValue is the least a stake, and a capability lock, may hold
	// (pos_stake_min_value, pos_lock_min_value).
	MinStakeValue = 1000 * mvs.SatoshiPerETP
	// MinStakeLockBlocks is the shortest sequence lock that makes an address a staker
	// (pos_lock_min_height).
	MinStakeLockBlocks = 24000
	// StakeLockGapBlocks is how many blocks of the capability lock must remain beyond the
	// parent (pos_lock_gap_height).
	StakeLockGapBlocks = 1000
	// stakeConfirmations is transaction_maturity, the confirmations is_utxo_spendable asks.
	stakeConfirmations = 3
	// posGenesisReward is the PoS genesis transaction's mint (pos_genesis_reward).
	posGenesisReward = 0x1076F8E * mvs.SatoshiPerETP
)

// Relative lock-time bits as the node's is_utxo_spendable reads them (constants.hpp): it
// ignores the disable flag.
const (
	relativeLockTimeFlag = 1 << 22
	relativeLockMask     = 0x000fffff
)

// StakeIndex is the address-indexed query the PoS capability rule needs; the store
// implements it.
type StakeIndex interface {
	// StakeLocks returns the unspent outputs that pay addr, as of the parent of the block
	// being checked. Returning every unspent output of addr is correct; returning only its
	// ETP sequence-lock outputs is enough, as no other output qualifies. An error is a
	// failure to read.
	StakeLocks(addr mvs.Address) ([]UTXO, error)
}

// CapabilityMaturity is how many blocks a capability lock must be old
// (Params.StakeCapabilityMaturity: 120 on mainnet, 23 under the node's testnet rules).
func CapabilityMaturity(p *mvs.Params) uint32 { return p.StakeCapabilityMaturity }

// StakeMaturity is how many blocks old a stake must be under a PoS header's bits
// (get_stake_utxo_maturity_height): max(250, round(1000 / (1 + e^(−ln v)))) with
// v = ⌊bits / 10^8⌋, in the node's double arithmetic, which rounds 1000·v/(v+1) half up
// at v = 15 and 399 and down at v = 79 and 1999. Go's Exp and Log agree with glibc's on
// every v below 3,000,000; above 1999 the result is 1000 whatever the rounding.
func StakeMaturity(bits block.Difficulty) uint32 {
	v := new(big.Int).Quo(bits.Big(), big.NewInt(100_000_000))
	if !v.IsUint64() || v.Uint64() > 1<<53 {
		return 1000
	}
	r := 1000.0 / (1 + math.Exp(-math.Log(float64(v.Uint64()))))
	return uint32(max(250, math.Round(r)))
}

// CheckStake applies the PoS rules of a version-2 block (validate_block_impl::verify_stake),
// in the node's order: a coinbase then a coinstake lead the block; the address that signs
// the coinstake's first input holds a capability lock (StakeIndex): an ETP output of at
// least MinStakeValue under a block-height sequence lock of at least MinStakeLockBlocks,
// CapabilityMaturity blocks old, with more than StakeLockGapBlocks of it left after the
// parent; the stake (the output that input spends) is in view, holds at least
// MinStakeValue, is StakeMaturity(bits) blocks old and spendable at the block's height
// (is_utxo_spendable); and the kernel meets the bits (block.CheckKernel). Other blocks
// pass. The header's own rules are CheckHeader's; the coinstake's zero fee is checked by
// CheckBlockContext with the transactions.
//
// An error that is not a *RuleError is a failure to read view or stakes.
func CheckStake(blk *block.Block, bc BlockContext, view UTXOView, stakes StakeIndex) error {
	h := &blk.Header
	if h.Version != block.VersionPoS {
		return nil
	}
	p := bc.Params
	fail := func(code ErrorCode, format string, args ...any) error {
		return ruleErr(code, h.Height, blk.Hash(), format, args...)
	}
	txs := blk.Transactions
	if len(txs) < 2 || !txs[0].IsCoinbase() || !txs[1].IsCoinstake() {
		return fail(ErrCoinstakeMissing, "a PoS block starts with a coinbase and a coinstake")
	}
	in := txs[1].Inputs[0]
	addr, ok := script.Script(script.NodeForm(in.Script)).Address(p)
	if !ok {
		return fail(ErrStakeCapability, "the coinstake's first input names no address")
	}
	if stakes == nil {
		return fmt.Errorf("chain: %w: a PoS block needs a StakeIndex", ErrNoLookup)
	}
	capable, err := hasStakeCapability(stakes, addr, h.Height-1, p)
	if err != nil {
		return err
	}
	if !capable {
		return fail(ErrStakeCapability, "%s holds no ETP sequence lock of %s for %d+ blocks, %d blocks old, with %d+ left",
			addr, MinStakeValue, MinStakeLockBlocks, CapabilityMaturity(p), StakeLockGapBlocks)
	}
	u, found, err := view.UTXO(in.PreviousOutput)
	if err != nil {
		return fmt.Errorf("chain: reading the stake %s: %w", in.PreviousOutput, err)
	}
	if !found {
		return fail(ErrStakeNotFound, "stake %s is not an unspent output", in.PreviousOutput)
	}
	if u.Output.Value < MinStakeValue {
		return fail(ErrStakeValue, "stake %s holds %s ETP, at least %s", in.PreviousOutput, u.Output.Value, MinStakeValue)
	}
	if m := StakeMaturity(h.Bits); uint64(u.Height)+uint64(m) > uint64(h.Height) {
		return fail(ErrStakeImmature, "stake %s from block %d is %d blocks short of %d-block maturity at bits %s",
			in.PreviousOutput, u.Height, uint64(u.Height)+uint64(m)-uint64(h.Height), m, h.Bits)
	}
	if why := stakeUnspendable(u, h.Height, p); why != "" {
		return fail(ErrStakeLocked, "stake %s from block %d: %s", in.PreviousOutput, u.Height, why)
	}
	if !block.CheckKernel(h, in.PreviousOutput.Hash, in.PreviousOutput.Index, u.Output.Value) {
		return fail(ErrStakeKernel, "kernel of stake %s (%s ETP) above the target of bits %s", in.PreviousOutput, u.Output.Value, h.Bits)
	}
	return nil
}

// hasStakeCapability is check_pos_capability at best = the parent's height.
func hasStakeCapability(stakes StakeIndex, addr mvs.Address, best uint32, p *mvs.Params) (bool, error) {
	locks, err := stakes.StakeLocks(addr)
	if err != nil {
		return false, fmt.Errorf("chain: reading the stake locks of %s: %w", addr, err)
	}
	for _, u := range locks {
		if uint64(u.Height)+uint64(CapabilityMaturity(p)) > uint64(best) ||
			u.Output.Value < MinStakeValue || u.Output.Attachment.Type != tx.TypeETP {
			continue
		}
		s := script.Script(script.NodeForm(u.Output.Script))
		if a, ok := s.Address(p); !ok || a != addr { // the node's index is by address
			continue
		}
		raw, ok := script.SequenceLockValue(s)
		if !ok || raw&relativeLockTimeFlag != 0 { // get_lock_heights_sequence: 0 unless by height
			continue
		}
		lock := uint64(raw & relativeLockMask)
		if lock >= MinStakeLockBlocks && uint64(u.Height)+lock-StakeLockGapBlocks > uint64(best) {
			return true, nil
		}
	}
	return false, nil
}

// stakeUnspendable is is_utxo_spendable(tx, index, u.Height, height, 3): why the stake
// cannot be spent in the block at height, or "". The pattern checks come before the
// coinbase maturity, so a deposit-interest coinbase output waits only for its deposit lock.
// A time-based sequence lock never passes: the node reads the new block's timestamp from its
// store, where the block is not yet, and gets 0. The node's last case, the finality of the
// transaction that created the stake, always holds for a transaction already in a block.
func stakeUnspendable(u UTXO, height uint32, p *mvs.Params) string {
	if u.Height == 0 {
		return "an output of the genesis block"
	}
	age := uint64(0)
	if u.Height < height {
		age = uint64(height - u.Height)
	}
	if age < stakeConfirmations {
		return fmt.Sprintf("%d confirmations, %d needed", age, stakeConfirmations)
	}
	s := script.Script(script.NodeForm(u.Output.Script))
	switch script.Classify(s) {
	case script.PayKeyHashWithLockHeight:
		lock, ok := script.DepositLockHeight(s)
		if !ok {
			return "deposit lock height is not a script number"
		}
		if lock < 0 || uint64(lock) > age { // the node's getint() as uint64: a negative lock never ends
			return fmt.Sprintf("deposit locked for %d blocks, %d passed", lock, age)
		}
		return ""
	case script.PayKeyHashWithSequenceLock:
		raw, ok := script.SequenceLockValue(s)
		if !ok {
			return "sequence lock is not a script number"
		}
		if raw&relativeLockTimeFlag != 0 {
			return "a time-based sequence lock, which the node never lets a stake pass"
		}
		if n := uint64(raw & relativeLockMask); n > age {
			return fmt.Sprintf("sequence-locked for %d blocks, %d passed", n, age)
		}
		return ""
	}
	if u.Coinbase && age < uint64(p.CoinbaseMaturity) {
		return fmt.Sprintf("coinbase output %d blocks old, maturity %d", age, p.CoinbaseMaturity)
	}
	return ""
}

// posExistsBefore is block_chain_impl::pos_exist_before: whether a PoS block precedes
// height. The node hard-codes mainnet's first PoS block and scans testnet, whose first is
// known (both are Params.PoSGenesisHeight); elsewhere it looks for a version-2 header above
// the fork. The node reads its main chain there (and
// the header at height itself, which is absent when the block extends the tip); this reads
// the branch below height.
func posExistsBefore(height uint32, bc BlockContext) bool {
	p := bc.Params
	if p.PoSGenesisHeight != 0 {
		return height > p.PoSGenesisHeight
	}
	if bc.Branch == nil {
		return false
	}
	for h := uint64(p.PoSHeight) + 1; h < uint64(height); h++ {
		if hd := bc.Branch.HeaderAt(uint32(h)); hd != nil && hd.Version == block.VersionPoS {
			return true
		}
	}
	return false
}

// checkPoSGenesis is check_coinbase's genesis part: in the first PoS block a coinbase at
// index 2 must be the PoS genesis transaction (transaction::is_pos_genesis_tx): a coinbase
// paying 17,264,526 ETP to the foundation then its 23 primary witness certificates,
// auto-issued to the foundation, every output's script starting with the foundation's
// P2PKH script.
func checkPoSGenesis(blk *block.Block, bc BlockContext) error {
	txs := blk.Transactions
	if blk.Header.Version != block.VersionPoS || len(txs) < 3 || !txs[2].IsCoinbase() || posExistsBefore(blk.Header.Height, bc) {
		return nil
	}
	if why := notPoSGenesisTx(&txs[2], bc.Params); why != "" {
		return ruleErr(ErrPoSGenesis, blk.Header.Height, blk.Hash(), "tx[2] of the first PoS block: %s", why)
	}
	return nil
}

func notPoSGenesisTx(t *tx.Tx, p *mvs.Params) string {
	if len(t.Outputs) != 1+asset.WitnessCertCount {
		return fmt.Sprintf("%d outputs, want %d", len(t.Outputs), 1+asset.WitnessCertCount)
	}
	foundation, err := mvs.DecodeAddress(p.FoundationAddress, p)
	if err != nil {
		return fmt.Sprintf("the network's foundation address: %v", err)
	}
	want := script.PayToAddress(foundation)
	pays := func(o *tx.Output) bool {
		s := script.NodeForm(o.Script)
		return len(s) >= len(want) && string(s[:len(want)]) == string(want)
	}
	if o := &t.Outputs[0]; o.Attachment.Type != tx.TypeETP || o.Value != posGenesisReward || !pays(o) {
		return fmt.Sprintf("output 0 pays %s ETP by %x, want %s ETP to %s", o.Value, o.Script, posGenesisReward, p.FoundationAddress)
	}
	for i := 1; i < len(t.Outputs); i++ {
		o := &t.Outputs[i]
		c, ok := o.Attachment.Payload.(*tx.AssetCert)
		if o.Attachment.Type != tx.TypeAssetCert || !ok || c.Status != tx.CertStatusAutoIssue {
			return fmt.Sprintf("output %d is not an auto-issued certificate", i)
		}
		if c.Address != p.FoundationAddress || c.CertType != tx.CertWitness || !primaryWitness(c.Symbol) || !pays(o) {
			return fmt.Sprintf("output %d: certificate %q type %#x to %s is not a primary witness certificate of the foundation", i, c.Symbol, c.CertType, c.Address)
		}
	}
	return ""
}

// primaryWitness is asset_cert::is_valid_primary_witness: MVS.WITNESS.<n>, n from 1 to 23,
// where the node reads n with std::stoi after checking every character is alphanumeric (so
// "1a" reads 1).
func primaryWitness(symbol string) bool {
	if len(symbol) < len(asset.WitnessCertPrefix) || symbol[:len(asset.WitnessCertPrefix)] != asset.WitnessCertPrefix {
		return false
	}
	rest := symbol[len(asset.WitnessCertPrefix):]
	digits := 0
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		isDigit := c >= '0' && c <= '9'
		if !isDigit && !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
		if isDigit && digits == i {
			digits++
		}
	}
	n, err := strconv.ParseUint(rest[:digits], 10, 31) // stoi: an int, or it throws
	return err == nil && n >= 1 && n <= asset.WitnessCertCount
}
