package mvs

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
)

// Checkpoint pins the hash of a block at a height.
type Checkpoint struct {
	Height uint32
	Hash   Hash
}

// Params are the constants that distinguish one MVS network from another. MainNet, TestNet
// and RegTest return a fresh value on every call, so a caller may change its copy (a private
// net with other fork heights, say) without affecting anyone else: there is no shared
// registry to mutate.
type Params struct {
	// Name is "mainnet", "testnet" or "regtest".
	Name string
	// Magic is the P2P message-start value, as a little-endian u32 on the wire.
	Magic uint32
	// DefaultPort is the P2P port.
	DefaultPort uint16

	// PubKeyHashAddrID, ScriptHashAddrID and WIFPrefix are the base58check version bytes. The
	// node keeps P2SH 0x05 and WIF 0x80 on testnet (the JS/TS libraries use 0xc4/0xef there).
	PubKeyHashAddrID byte
	ScriptHashAddrID byte
	WIFPrefix        byte

	// GenesisBlock is the serialized genesis block; GenesisHash is its hash.
	GenesisBlock []byte
	GenesisHash  Hash
	// Checkpoints the chain must pass through, ascending by height.
	Checkpoints []Checkpoint

	// FutureTimeForkHeight starts the stricter timestamp window (timestamp ≥ parent's,
	// ≤ now+24 s).
	FutureTimeForkHeight uint32
	// NovaHeight is the SuperNova fork: transaction version 4 is allowed once the tip is
	// above it. Zero means always allowed (testnet, regtest).
	NovaHeight uint32
	// TestnetRules is the node's use_testnet_rules: version-3 transactions accepted, no
	// banned-word check on DID symbols, sequence-lock outputs before the PoS fork, and the
	// other relaxations the node keys on it.
	TestnetRules bool
	// PoSHeight is the PoS/MPC1 fork: version-2 blocks allowed, tx version 4 mandatory,
	// deposits disabled, v2 difficulty and rewards.
	PoSHeight uint32
	// PoSGenesisHeight is the first PoS block, which carries the PoS genesis transaction.
	PoSGenesisHeight uint32
	// SuccessiveLimitHeight starts the limits on consecutive PoW (MaxSuccessivePoW) and PoS
	// (MaxSuccessivePoS) blocks.
	SuccessiveLimitHeight uint32
	MaxSuccessivePoW      uint32
	MaxSuccessivePoS      uint32

	// CoinbaseMaturity is how many blocks a coinbase output waits before it is spendable.
	CoinbaseMaturity uint32
	// StakeCapabilityMaturity is how old, in blocks, the sequence-locked output that gives
	// an address the right to stake must be (vote_maturity: 120 on mainnet, 23 under the
	// node's testnet rules).
	StakeCapabilityMaturity uint32
	// MinTxFee is the consensus minimum fee of every non-coinbase, non-coinstake transaction.
	MinTxFee Amount
	// MinPoWDifficulty and MinPoSDifficulty floor the difficulty retarget.
	MinPoWDifficulty uint64
	MinPoSDifficulty uint64
	// RewardRateInterval is the block count after which the subsidy decays by 5%.
	RewardRateInterval uint32
	// DepositLockHeights are the allowed lock heights of deposit outputs (7, 30, 90, 182 and
	// 365 days on mainnet).
	DepositLockHeights [5]uint32

	// DeveloperAddress receives the community share of issue and DID fees (miner policy).
	DeveloperAddress string
	// FoundationAddress received the PoS genesis mint.
	FoundationAddress string
	// IssueFee and DIDFee are the wallet's default special fees; MinerFeePercent of them
	// goes to the miner and the rest to DeveloperAddress. Policy, not consensus.
	IssueFee        Amount
	DIDFee          Amount
	MinerFeePercent uint32
}

// MainNet returns the parameters of the public MVS chain.
func MainNet() *Params {
	p := &Params{
		Name:                    "mainnet",
		Magic:                   0x4d53564d,
		DefaultPort:             5251,
		PubKeyHashAddrID:        0x32,
		ScriptHashAddrID:        0x05,
		WIFPrefix:               0x80,
		FutureTimeForkHeight:    1_030_000,
		NovaHeight:              1_270_000,
		PoSHeight:               1_924_000,
		PoSGenesisHeight:        1_924_146,
		SuccessiveLimitHeight:   1_934_000,
		MaxSuccessivePoW:        60,
		MaxSuccessivePoS:        24,
		CoinbaseMaturity:        1000,
		StakeCapabilityMaturity: 120,
		MinTxFee:                10_000,
		MinPoWDifficulty:        914_572_800,
		MinPoSDifficulty:        100_000_000,
		RewardRateInterval:      500_000,
		DepositLockHeights:      [5]uint32{25200, 108000, 331200, 655200, 1314000},
		DeveloperAddress:        "MAwLwVGwJyFsTBfNj2j5nCUrQXGVRvHzPh",
		FoundationAddress:       "MSCHL3unfVqzsZbRVCJ3yVp7RgAmXiuGN3",
		IssueFee:                10 * SatoshiPerETP,
		DIDFee:                  1 * SatoshiPerETP,
		MinerFeePercent:         20,
	}
	p.GenesisBlock = buildGenesis(1486796400, "6e64c2098b84b04a0d9f61a60d5bc8f5f80f37e19f3ad9c39bfe419db422b33c",
		[20]byte{0x61, 0xfd, 0xe3, 0xbd, 0x4e, 0x69, 0x55, 0xc9, 0x9b, 0x16, 0xde, 0x2d, 0x71, 0xe2, 0xa3, 0x69, 0x88, 0x8a, 0x1c, 0x0b})
	p.GenesisHash = DoubleSHA256(p.GenesisBlock[:HeaderSize])
	p.Checkpoints = []Checkpoint{
		{0, mustHash("b81848ef9ae86e84c3da26564bc6ab3a79efc628239d11471ab5cd25c0684c2d")},
		{1_030_000, mustHash("ed11a074ce80cbf82b5724bea0d74319dc6f180198fa1bbfb562bcbd50089e63")},
		{1_270_000, mustHash("a18a5aa5270835dd720a561c20230435e0508e8339ee30998da6dd79eee83b29")},
	}
	return p
}

// TestNet returns the parameters of the public MVS test network.
func TestNet() *Params {
	p := MainNet()
	p.Name = "testnet"
	p.Magic = 0x73766d74
	p.DefaultPort = 15251
	p.PubKeyHashAddrID = 0x7f
	p.NovaHeight = 0
	p.TestnetRules = true
	p.PoSHeight = 990_000
	// The node finds testnet's first PoS block by scanning (pos_exist_before); it is block
	// 991,505 (hash 37d4536c…2e14, as the MVS documentation shows it), which carries the PoS
	// genesis transaction.
	p.PoSGenesisHeight = 991_505
	p.SuccessiveLimitHeight = 990_000 + 10_000
	p.CoinbaseMaturity = 1
	p.StakeCapabilityMaturity = 23
	p.MinPoWDifficulty = 300_000
	p.MinPoSDifficulty = 1_000_000
	p.RewardRateInterval = 50_000
	p.DepositLockHeights = [5]uint32{10, 20, 30, 40, 50}
	p.DeveloperAddress = "tBELxsiiaMVGQcY2Apf7hmzAaipD4YWTTj"
	p.FoundationAddress = "tBELxsiiaMVGQcY2Apf7hmzAaipD4YWTTj"
	p.GenesisBlock = buildGenesis(1479881397, "2017.01.18 MVS start running testnet.",
		[20]byte{0xb7, 0x28, 0x52, 0xb4, 0xc7, 0x19, 0x50, 0x34, 0x30, 0x4b, 0xcc, 0x90, 0xb0, 0x73, 0x26, 0xe6, 0xe5, 0x55, 0xdc, 0x60})
	p.GenesisHash = DoubleSHA256(p.GenesisBlock[:HeaderSize])
	p.Checkpoints = []Checkpoint{{0, mustHash("c359a1cc3dfb8b97111c3e602f1f6de31306926f9ec779cb9ea002edbee91741")}}
	return p
}

// RegTestKeyHash is the hash160 of the compressed public key of private key 1 (the curve's
// generator). RegTest's genesis pays to it, so tests can spend the genesis coins with a key
// everyone knows. Never use this key for anything of value.
var regTestKeyHash = [20]byte{0x75, 0x1e, 0x76, 0xe8, 0x19, 0x91, 0x96, 0xd4, 0x54, 0x94, 0x1c, 0x45, 0xd1, 0xb3, 0xa3, 0x23, 0xf1, 0x43, 0x3b, 0xd6}

// RegTest returns a private network for tests: difficulty 1 (Ethash seals are found in a few
// tries), coinbase maturity 1, every fork but PoS active from genesis, testnet address
// versions, and a genesis that pays to the hash of private key 1's public key.
func RegTest() *Params {
	p := TestNet()
	p.Name = "regtest"
	p.Magic = 0x7274766d
	p.DefaultPort = 25251
	p.FutureTimeForkHeight = 0
	p.PoSHeight = math.MaxUint32
	p.PoSGenesisHeight = 0 // no PoS: no PoS genesis block
	p.SuccessiveLimitHeight = math.MaxUint32
	p.MinPoWDifficulty = 1
	p.MinPoSDifficulty = 1
	p.RewardRateInterval = 50_000
	p.GenesisBlock = buildGenesis(1700000000, "mvs regtest", regTestKeyHash)
	p.GenesisHash = DoubleSHA256(p.GenesisBlock[:HeaderSize])
	p.Checkpoints = []Checkpoint{{0, p.GenesisHash}}
	return p
}

// ParamsByName returns the parameters of "mainnet", "testnet" or "regtest".
func ParamsByName(name string) (*Params, error) {
	switch strings.ToLower(name) {
	case "mainnet", "main":
		return MainNet(), nil
	case "testnet", "test":
		return TestNet(), nil
	case "regtest":
		return RegTest(), nil
	}
	return nil, fmt.Errorf("%w: %q (want mainnet, testnet or regtest)", ErrUnknownNetwork, name)
}

// HeaderSize is the serialized size of a block header without the transaction count.
const HeaderSize = 148

// buildGenesis serializes a genesis block the way the reference node constructs it
// (miner.cpp): version-1 header with bits 1 and no nonce, one version-0 coinbase whose input
// script is the raw text with no push opcode, paying 50,000,000 ETP to a P2PKH script with a
// version-0 ETP attachment. It lives here, not in package block, because Params sits below
// every other package; block's tests decode it and check it byte for byte against the real
// chain.
func buildGenesis(timestamp uint32, text string, payTo [20]byte) []byte {
	var tx []byte
	tx = binary.LittleEndian.AppendUint32(tx, 0) // version 0
	tx = append(tx, 1)                           // one input
	tx = append(tx, make([]byte, 32)...)         // null previous output
	tx = binary.LittleEndian.AppendUint32(tx, 0xffffffff)
	tx = append(tx, byte(len(text)))
	tx = append(tx, text...)
	tx = binary.LittleEndian.AppendUint32(tx, 0) // sequence
	tx = append(tx, 1)                           // one output
	tx = binary.LittleEndian.AppendUint64(tx, uint64(50_000_000*SatoshiPerETP))
	tx = append(tx, 25, 0x76, 0xa9, 0x14)
	tx = append(tx, payTo[:]...)
	tx = append(tx, 0x88, 0xac)
	tx = binary.LittleEndian.AppendUint32(tx, 0) // attachment version
	tx = binary.LittleEndian.AppendUint32(tx, 0) // attachment type: etp
	tx = binary.LittleEndian.AppendUint32(tx, 0) // lock time
	merkle := DoubleSHA256(tx)                   // one transaction: the root is its hash

	var b []byte
	b = binary.LittleEndian.AppendUint32(b, 1) // version
	b = append(b, make([]byte, 32)...)         // previous block
	b = append(b, merkle[:]...)
	b = binary.LittleEndian.AppendUint32(b, timestamp)
	bits := make([]byte, 32)
	bits[31] = 1 // difficulty 1, big-endian
	b = append(b, bits...)
	b = append(b, make([]byte, 8+32)...)       // nonce, mixhash
	b = binary.LittleEndian.AppendUint32(b, 0) // height
	b = append(b, 1)                           // one transaction
	return append(b, tx...)
}

func mustHash(s string) Hash {
	h, err := ParseHash(s)
	if err != nil {
		panic(err) // only for literals in this file, checked by tests
	}
	return h
}
