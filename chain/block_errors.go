package chain

// The block rules in context (coinbase, rewards, coinstake and stake, registrations within
// a block), one code each (the node's validate_block.cpp errors). Codes run from
// firstBlockCode; add a code before endBlockCodes and its name to blockCodeNames.
const (
	// ErrCoinbaseTooLarge: the coinbase pays more than the subsidy plus the block's fees
	// (coinbase_too_large).
	ErrCoinbaseTooLarge ErrorCode = iota + firstBlockCode
	// ErrMSTRewardInvalid: the coinbase's second output pays an asset that was never issued
	// or has no mining certificate (mst_coinbase_invalid).
	ErrMSTRewardInvalid
	// ErrMSTRewardTooLarge: the coinbase's MST mining reward exceeds what the mining
	// certificate allows at this height (mst_coinbase_too_large).
	ErrMSTRewardTooLarge
	// ErrCoinageReward: a deposit output in the block is not matched, in order, by a
	// transaction paying its interest to the same address and lock height
	// (invalid_coinage_reward_coinbase).
	ErrCoinageReward
	// ErrPoSGenesis: in the first PoS block, a coinbase at index 2 that is not the PoS
	// genesis transaction (check_pos_genesis_error).
	ErrPoSGenesis
	// ErrCoinstakeMissing: a PoS block whose first two transactions are not a coinbase and a
	// coinstake (proof_of_stake, is_coin_stake).
	ErrCoinstakeMissing
	// ErrStakeCapability: the staking address holds no ETP sequence lock that qualifies it
	// to stake (proof_of_stake, check_pos_capability).
	ErrStakeCapability
	// ErrStakeNotFound: the coinstake's first input spends no known unspent output
	// (proof_of_stake, fetch_transaction).
	ErrStakeNotFound
	// ErrStakeValue: the stake is below 1000 ETP (proof_of_stake,
	// check_pos_utxo_height_and_value).
	ErrStakeValue
	// ErrStakeImmature: the stake is younger than the difficulty-dependent stake maturity
	// (proof_of_stake, check_pos_utxo_height_and_value).
	ErrStakeImmature
	// ErrStakeLocked: the stake is not yet spendable: a lock, coinbase maturity or fewer
	// than 3 confirmations (proof_of_stake, is_utxo_spendable).
	ErrStakeLocked
	// ErrStakeKernel: the kernel hash divided by the stake weight exceeds the target
	// (proof_of_stake, MinerAux::verify_stake).
	ErrStakeKernel
	// ErrDuplicateAsset: two issues of one asset symbol in the block (asset_exist).
	ErrDuplicateAsset
	// ErrDuplicateCert: two outputs of one certificate (symbol and type) in the block
	// (asset_cert_exist).
	ErrDuplicateCert
	// ErrDuplicateMIT: two outputs of one MIT symbol in the block (mit_exist).
	ErrDuplicateMIT
	// ErrDuplicateDID: two DID outputs of one symbol in the block (did_exist).
	ErrDuplicateDID
	// ErrDuplicateDIDAddress: two DID outputs for one address in the block
	// (address_registered_did).
	ErrDuplicateDIDAddress

	endBlockCodes // keep last
)

// blockCodeNames is indexed by code; entries below firstBlockCode are unused.
var blockCodeNames = [endBlockCodes]string{
	ErrCoinbaseTooLarge:    "ErrCoinbaseTooLarge",
	ErrMSTRewardInvalid:    "ErrMSTRewardInvalid",
	ErrMSTRewardTooLarge:   "ErrMSTRewardTooLarge",
	ErrCoinageReward:       "ErrCoinageReward",
	ErrPoSGenesis:          "ErrPoSGenesis",
	ErrCoinstakeMissing:    "ErrCoinstakeMissing",
	ErrStakeCapability:     "ErrStakeCapability",
	ErrStakeNotFound:       "ErrStakeNotFound",
	ErrStakeValue:          "ErrStakeValue",
	ErrStakeImmature:       "ErrStakeImmature",
	ErrStakeLocked:         "ErrStakeLocked",
	ErrStakeKernel:         "ErrStakeKernel",
	ErrDuplicateAsset:      "ErrDuplicateAsset",
	ErrDuplicateCert:       "ErrDuplicateCert",
	ErrDuplicateMIT:        "ErrDuplicateMIT",
	ErrDuplicateDID:        "ErrDuplicateDID",
	ErrDuplicateDIDAddress: "ErrDuplicateDIDAddress",
}
