package wallet

import (
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// Deposit-scanner errors.
var (
	// ErrWatchAddress: an address that cannot be watched: the zero Address, the blackhole,
	// or one whose version byte is not the scanner network's P2PKH or P2SH version (it also
	// matches mvs.ErrAddressNetwork then).
	ErrWatchAddress = errors.New("wallet: address cannot be watched")
	// ErrDuplicateWatch: an address watched twice. Refused rather than overwritten, since
	// a second owner would silently take the first one's deposits.
	ErrDuplicateWatch = errors.New("wallet: address is already watched")
	// ErrNothingToScan: a nil transaction or block.
	ErrNothingToScan = errors.New("wallet: nil transaction or block")
	// ErrNotAccountScanner: Issued on a scanner built from an address list.
	ErrNotAccountScanner = errors.New("wallet: scanner has no account to derive from")
)

// DepositAddress is a watched address and whom it belongs to.
type DepositAddress struct {
	Address mvs.Address
	// Index is m/Index for the addresses an account scanner derives; for a watched address,
	// any number the caller chooses (a customer id, say).
	Index uint32
	// Label is the caller's label for a watched address; "" for derived ones.
	Label string
}

// Holding says what a credited output carries besides its ETP value.
type Holding uint8

const (
	// HoldsETP: only the output's ETP value (an etp, message or unknown attachment).
	HoldsETP Holding = iota
	// HoldsAsset: a quantity of an MST (a transfer, or the supply an issue or secondary
	// issue creates): Symbol and Quantity.
	HoldsAsset
	// HoldsCertificate: an asset certificate (Symbol, CertType); no quantity.
	HoldsCertificate
	// HoldsMIT: a unique token (Symbol); no quantity.
	HoldsMIT
	// HoldsDID: a digital identity (Symbol); no quantity.
	HoldsDID
)

func (h Holding) String() string {
	switch h {
	case HoldsETP:
		return "etp"
	case HoldsAsset:
		return "asset"
	case HoldsCertificate:
		return "certificate"
	case HoldsMIT:
		return "mit"
	case HoldsDID:
		return "did"
	}
	return fmt.Sprintf("Holding(%d)", uint8(h))
}

// LockKind is the lock an output script puts on what the output holds.
type LockKind uint8

const (
	// LockNone: P2PKH, P2PK or P2SH (a P2SH redeem script's own locks are not visible).
	LockNone LockKind = iota
	// LockDeposit: pay_key_hash_with_lock_height, the pre-PoS ETP deposit. Blocks is the
	// script's lock height.
	LockDeposit
	// LockSequence: pay_key_hash_with_sequence_lock (CHECKSEQUENCEVERIFY with MVS's masks):
	// Blocks, or Seconds when ByTime, after the output's block. Disabled when the operand
	// has bit 31 set, which makes CHECKSEQUENCEVERIFY a no-op. UnlockHeight is the node
	// wallet's expiration (output height + Blocks); consensus (check_sequence_locks)
	// accepts the spend one block earlier. A time lock ends when the median time past
	// reaches the output block's timestamp + Seconds, as consensus has it.
	LockSequence
	// LockAttenuation: pay_key_hash_with_attenuation_model, "locked MST": the asset quantity
	// is released in stages by the model (Model, ModelParam); LockedQuantity of Quantity is
	// locked when the output confirms, the first stage is free at FirstReleaseHeight and all
	// of it at UnlockHeight. asset.Unlock says what any later height has released; spending
	// before the end needs Builder.SpendLocked, which relocks the rest.
	LockAttenuation
	// LockUnspendable: a lock pattern whose operand makes it unspendable as the node reads
	// it (a negative or unreadable lock number, an attenuation param that is no model).
	// Never credit it.
	LockUnspendable
)

func (k LockKind) String() string {
	switch k {
	case LockNone:
		return "none"
	case LockDeposit:
		return "deposit"
	case LockSequence:
		return "sequence"
	case LockAttenuation:
		return "attenuation"
	case LockUnspendable:
		return "unspendable"
	}
	return fmt.Sprintf("LockKind(%d)", uint8(k))
}

// NeverUnlocks is UnlockHeight for a lock that never ends as the node computes it.
const NeverUnlocks = math.MaxUint64

// Lock is an output's lock. Heights are tip heights, as the node's expiration_height: a
// spend is accepted once the chain tip has reached them (mined in the block after). They
// are set only for confirmed credits (ScanBlock); ScanTx gives the durations alone.
type Lock struct {
	Kind LockKind
	// Blocks: the deposit lock height; the sequence lock's relative blocks; the
	// attenuation model's blocks to its end (asset.DiffHeight to the end).
	Blocks uint64
	// Seconds of a time-based sequence lock (ByTime): the 20-bit value << 5.
	Seconds  int64
	ByTime   bool
	Disabled bool
	// UnlockHeight: the confirmation height plus Blocks; NeverUnlocks for a model whose end the
	// node cannot compute (NeverUnlocks). Zero for a time lock.
	UnlockHeight uint64
	// UnlockTime: a time lock's block timestamp plus Seconds; spendable once the median
	// time past reaches it.
	UnlockTime int64
	// Attenuation only.
	ModelParam         string
	Model              script.ModelParam
	LockedQuantity     uint64
	FirstReleaseHeight uint64
}

// Credit is one output paying a watched address.
type Credit struct {
	TxID  mvs.Hash
	Index uint32 // the output's index in the transaction
	To    DepositAddress
	// Class is the output script's pattern: PayKeyHash, PayPublicKey, PayScriptHash or one
	// of the three lock patterns. Other patterns are never credited, not even those
	// Script.Address names an address for (see DepositScanner).
	Class script.Class
	// Value is the ETP the output holds (often zero beside an asset).
	Value mvs.Amount
	// Holding says what else it holds: Symbol and Quantity (MST, Quantity in the asset's
	// smallest unit), Symbol and CertType (certificates), Symbol (MIT, DID).
	Holding    Holding
	Symbol     string
	Quantity   uint64
	CertType   uint32
	Attachment tx.AttachmentType
	// Memo is a message attachment's text.
	Memo string
	Lock Lock
	// Confirmed is true for ScanBlock's credits, which have Height (and the block's
	// Timestamp).
	Confirmed bool
	Height    uint32
	Timestamp uint32
	// Coinbase: made by a coinbase (a block reward, an MST mining reward or a deposit
	// interest coinbase), spendable once the tip reaches MatureHeight (Height +
	// Params.CoinbaseMaturity; validate_transaction.cpp checks is_coinbase only).
	Coinbase     bool
	MatureHeight uint64
	// Coinstake: an output of the PoS coinstake. The node applies no maturity to it; it is
	// flagged because it pays back a stake, which an exchange rarely expects.
	Coinstake bool
}

// SpendableAt reports whether everything the credit holds can be spent in the block after
// a tip at tipHeight whose median time past is mtp: it is confirmed at or below the tip,
// mature, and every lock has ended (an attenuation lock's last stage included).
// Unconfirmed credits are not. Confirmations an exchange wants on top are its policy.
func (c *Credit) SpendableAt(tipHeight uint32, mtp int64) bool {
	if !c.Confirmed || c.Lock.Kind == LockUnspendable || tipHeight < c.Height {
		return false
	}
	tip := uint64(tipHeight)
	if c.Coinbase && tip < c.MatureHeight {
		return false
	}
	switch {
	case c.Lock.Kind == LockNone || c.Lock.Disabled:
		return true
	case c.Lock.ByTime:
		return mtp >= c.Lock.UnlockTime
	}
	return tip >= c.Lock.UnlockHeight
}

// DepositScanner finds the outputs of transactions and blocks that pay watched addresses,
// with what they hold and what locks them. It answers the question "crediting every
// output whose Script.Address is mine" gets wrong: Script.Address names the owner of
// deposit-, sequence- and attenuation-locked outputs and of input-shaped output scripts,
// whose value cannot be spent yet, or can be spent by anyone.
//
// Only outputs whose script is P2PKH, P2PK (credited to the key's P2PKH address), P2SH or
// one of the three P2PKH lock patterns are credited, each with its Lock. An output script
// shaped like an input (a signature and a public key, say: the node counts it as standard
// and Script.Address names the key's address) can be spent by anyone and is never
// credited; nor are bare multisig, null data or non-standard scripts.
//
// Certificates, MIT and DIDs sent to a watched address are credited with their Holding
// and symbol, never as an amount. Every output paying a watched address is reported,
// including the change of the exchange's own withdrawals: skip the transactions it built.
//
// A scanner is either a list of addresses with labels (NewDepositScanner) or an account
// (NewAccountDepositScanner), whose addresses m/0 … it derives ahead: gap addresses past the
// highest issued or used one, extended when a deposit lands inside the gap, as BIP44 gap
// scanning does. An exchange hands addresses out without knowing which will be used, so
// it tells the scanner how many it has issued (Issued); a deposit to an address further
// than gap past both is not seen.
//
// Scanning looks each output's 20-byte hash up in a map: no allocation for an output that
// pays nobody watched (P2PK outputs are hashed, which allocates). Scan transactions the
// chain accepted (blocks you validated, or the node's mempool): the scanner reads values
// and locks, it does not check consensus. A DepositScanner is safe for concurrent use;
// scan blocks in chain order, as the gap window depends on it.
type DepositScanner struct {
	mu     sync.Mutex
	params *mvs.Params
	p2pkh  map[[20]byte]int32
	p2sh   map[[20]byte]int32
	owners []owner

	acct   *Account
	gap    uint32
	next   uint32 // account: m/0 … m/next−1 are watched
	issued uint32
}

type owner struct {
	DepositAddress
	derived bool
}

// NewDepositScanner watches addresses of network p, each with the caller's label and index.
func NewDepositScanner(p *mvs.Params, watched []DepositAddress) (*DepositScanner, error) {
	if p == nil {
		return nil, ErrNoParams
	}
	s := &DepositScanner{params: p, p2pkh: make(map[[20]byte]int32, len(watched)), p2sh: make(map[[20]byte]int32)}
	for _, d := range watched {
		if err := s.add(d, false); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// NewAccountDepositScanner watches the addresses of account a (watch-only or not):
// m/0 … m/(issued+gap−1) at once, more as Issued is called or deposits land near the end.
// gap 0 means DefaultGapLimit.
func NewAccountDepositScanner(a *Account, issued, gap uint32) (*DepositScanner, error) {
	if err := a.check(); err != nil {
		return nil, err
	}
	if gap == 0 {
		gap = DefaultGapLimit
	}
	s := &DepositScanner{params: a.params, p2pkh: make(map[[20]byte]int32), p2sh: make(map[[20]byte]int32), acct: a, gap: gap}
	if err := s.Issued(issued); err != nil {
		return nil, err
	}
	return s, nil
}

// Watch adds an address to watch.
func (s *DepositScanner) Watch(d DepositAddress) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.add(d, false)
}

// Issued tells an account scanner that m/0 … m/(n−1) have been handed out: it watches up
// to m/(n+gap−1).
func (s *DepositScanner) Issued(n uint32) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.acct == nil {
		return ErrNotAccountScanner
	}
	s.issued = max(s.issued, n)
	return s.deriveTo(uint64(n) + uint64(s.gap))
}

// Watched returns how many addresses the scanner watches.
func (s *DepositScanner) Watched() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.owners)
}

// deriveTo watches the account's addresses below end (at most 2^31).
func (s *DepositScanner) deriveTo(end uint64) error {
	end = min(end, uint64(hardenedIndex))
	for ; uint64(s.next) < end; s.next++ {
		addr, err := s.acct.Address(s.next)
		if errors.Is(err, ErrInvalidChild) {
			continue // no wallet hands out this index
		}
		if err != nil {
			return fmt.Errorf("m/%d: %w", s.next, err)
		}
		if err := s.add(DepositAddress{Address: addr, Index: s.next}, true); err != nil {
			return err
		}
	}
	return nil
}

func (s *DepositScanner) add(d DepositAddress, derived bool) error {
	a := d.Address
	var m map[[20]byte]int32
	switch {
	case a.Kind == mvs.PubKeyHash && a.Version == s.params.PubKeyHashAddrID:
		m = s.p2pkh
	case a.Kind == mvs.ScriptHash && a.Version == s.params.ScriptHashAddrID:
		m = s.p2sh
	case a.Kind == mvs.PubKeyHash || a.Kind == mvs.ScriptHash:
		return fmt.Errorf("%w: %s (%s, version 0x%02x) is not a %s address: %w", ErrWatchAddress, a, a.Kind, a.Version, s.params.Name, mvs.ErrAddressNetwork)
	default:
		return fmt.Errorf("%w: %v address %q (label %q, index %d)", ErrWatchAddress, a.Kind, a.String(), d.Label, d.Index)
	}
	if prev, dup := m[a.Hash]; dup {
		o := s.owners[prev]
		return fmt.Errorf("%w: %s (index %d, label %q) already belongs to index %d, label %q", ErrDuplicateWatch, a, d.Index, d.Label, o.Index, o.Label)
	}
	if len(s.owners) >= math.MaxInt32 {
		return fmt.Errorf("%w: too many addresses", ErrWatchAddress)
	}
	m[a.Hash] = int32(len(s.owners))
	s.owners = append(s.owners, owner{d, derived})
	return nil
}

// ScanTx returns the credits of an unconfirmed transaction (Confirmed false: locks give
// durations, not heights). It returns nil when nothing pays a watched address.
func (s *DepositScanner) ScanTx(t *tx.Tx) ([]Credit, error) {
	if t == nil {
		return nil, ErrNothingToScan
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Credit
	for {
		next := s.next
		var err error
		if out, err = s.scanTx(out[:0], t, nil); err != nil {
			return nil, err
		}
		if s.next == next {
			return out, nil
		}
		// The window grew: an earlier output may pay one of the new addresses.
	}
}

// ScanBlock returns the credits of every transaction of b, confirmed at the height in its
// header, with coinbase maturity and lock heights. It returns nil when nothing pays a
// watched address.
func (s *DepositScanner) ScanBlock(b *block.Block) ([]Credit, error) {
	if b == nil {
		return nil, ErrNothingToScan
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Credit
	for {
		next := s.next
		out = out[:0]
		for i := range b.Transactions {
			var err error
			if out, err = s.scanTx(out, &b.Transactions[i], &b.Header); err != nil {
				return nil, fmt.Errorf("tx %d: %w", i, err)
			}
		}
		if s.next == next {
			if len(out) == 0 {
				return nil, nil
			}
			return out, nil
		}
		// The window grew: an earlier transaction may pay one of the new addresses.
	}
}

// scanTx appends t's credits to dst; h is the confirming block's header, nil if none.
func (s *DepositScanner) scanTx(dst []Credit, t *tx.Tx, h *block.Header) ([]Credit, error) {
	var (
		txid      mvs.Hash
		described bool
		coinbase  bool
		coinstake bool
	)
	for i := range t.Outputs {
		o := &t.Outputs[i]
		idx, ok := s.lookup(o.Script)
		if !ok {
			continue
		}
		c, ok := s.credit(o, s.owners[idx].DepositAddress)
		if !ok {
			continue
		}
		if !described { // once per transaction, and only for one that pays someone
			txid, coinbase, coinstake, described = t.Hash(), t.IsCoinbase(), t.IsCoinstake(), true
		}
		c.TxID, c.Index, c.Coinbase, c.Coinstake = txid, uint32(i), coinbase, coinstake
		if h != nil {
			s.confirm(&c, h)
		}
		dst = append(dst, c)
		if w := s.owners[idx]; w.derived && uint64(w.Index)+uint64(s.gap) >= uint64(s.next) {
			if err := s.deriveTo(uint64(w.Index) + 1 + uint64(s.gap)); err != nil {
				return dst, err
			}
		}
	}
	return dst, nil
}

// lookup finds the watched owner of an output script by its 20-byte hash without
// allocating: every credited pattern is P2SH, P2PK or ends with the P2PKH tail. The
// pattern itself is checked in credit, for matches only.
func (s *DepositScanner) lookup(sc []byte) (int32, bool) {
	n := len(sc)
	switch {
	case n == 23 && sc[0] == byte(script.OP_HASH160) && sc[1] == 20 && sc[22] == byte(script.OP_EQUAL):
		i, ok := s.p2sh[[20]byte(sc[2:22])]
		return i, ok
	case n >= 25 && sc[n-25] == byte(script.OP_DUP) && sc[n-24] == byte(script.OP_HASH160) && sc[n-23] == 20 &&
		sc[n-2] == byte(script.OP_EQUALVERIFY) && sc[n-1] == byte(script.OP_CHECKSIG):
		i, ok := s.p2pkh[[20]byte(sc[n-22:n-2])]
		return i, ok
	case (n == 35 || n == 67) && int(sc[0]) == n-2 && sc[n-1] == byte(script.OP_CHECKSIG):
		i, ok := s.p2pkh[mvs.Hash160(sc[1:n-1])]
		return i, ok
	}
	return 0, false
}

// credit describes output o paying to, or reports false when its script is not one of
// the credited patterns paying to.Address.
func (s *DepositScanner) credit(o *tx.Output, to DepositAddress) (Credit, bool) {
	sc := script.Script(o.Script)
	c := Credit{To: to, Class: sc.Class(), Value: o.Value, Attachment: o.Attachment.Type}
	switch c.Class {
	case script.PayKeyHash, script.PayPublicKey, script.PayScriptHash,
		script.PayKeyHashWithLockHeight, script.PayKeyHashWithSequenceLock, script.PayKeyHashWithAttenuationModel:
	default:
		return Credit{}, false // input-shaped or non-standard: see DepositScanner
	}
	if addr, ok := sc.Address(s.params); !ok || addr != to.Address {
		return Credit{}, false
	}
	switch p := o.Attachment.Payload.(type) {
	case *tx.AssetTransfer:
		c.Holding, c.Symbol, c.Quantity = HoldsAsset, p.Symbol, p.Quantity
	case *tx.AssetDetail:
		c.Holding, c.Symbol, c.Quantity = HoldsAsset, p.Symbol, p.MaximumSupply
	case *tx.AssetCert:
		c.Holding, c.Symbol, c.CertType = HoldsCertificate, p.Symbol, p.CertType
	case *tx.MIT:
		c.Holding, c.Symbol = HoldsMIT, p.Symbol
	case *tx.DID:
		c.Holding, c.Symbol = HoldsDID, p.Symbol
	case *tx.Message:
		c.Memo = p.Content
	}
	c.Lock = readLock(sc, c.Class, c.Quantity)
	return c, true
}

// readLock reads the lock of a credited pattern as consensus reads its operand: the
// deposit's with NUMEQUALVERIFY's 4-byte limit, the sequence lock's with
// CHECKSEQUENCEVERIFY's 5-byte limit (negative fails, bit 31 disables), neither needing
// minimal encoding (MINIMALDATA is not a consensus flag).
func readLock(sc script.Script, class script.Class, quantity uint64) Lock {
	switch class {
	case script.PayKeyHashWithLockHeight, script.PayKeyHashWithSequenceLock:
		tok := sc.Tokenize()
		tok.Next() // the pattern matched, so the first operation parses
		limit := script.DefaultNumLen
		if class == script.PayKeyHashWithSequenceLock {
			limit = script.LockTimeNumLen
		}
		n, err := script.ParseNum(tok.Op().Data, limit, false)
		if err != nil || n < 0 {
			return Lock{Kind: LockUnspendable}
		}
		if class == script.PayKeyHashWithLockHeight {
			return Lock{Kind: LockDeposit, Blocks: uint64(n)}
		}
		blocks, seconds, byTime, disabled := script.RelativeLock(uint32(n))
		return Lock{Kind: LockSequence, Blocks: uint64(blocks), Seconds: seconds, ByTime: byTime, Disabled: disabled}
	case script.PayKeyHashWithAttenuationModel:
		param, _, _ := script.AttenuationParams(sc)
		m, ok := script.ParseModelParam(param)
		if !ok || m.Type == script.ModelNone {
			return Lock{Kind: LockUnspendable} // CHECKATTENUATIONVERIFY fails on it
		}
		free, _ := asset.Unlock(quantity, 0, param)
		return Lock{Kind: LockAttenuation, Blocks: asset.DiffHeight(param, nil), ModelParam: string(param), Model: m,
			LockedQuantity: quantity - min(free, quantity)}
	}
	return Lock{}
}

// confirm sets what the confirming block decides: heights and maturity.
func (s *DepositScanner) confirm(c *Credit, h *block.Header) {
	c.Confirmed, c.Height, c.Timestamp = true, h.Height, h.Timestamp
	height := uint64(h.Height)
	if c.Coinbase {
		c.MatureHeight = height + uint64(s.params.CoinbaseMaturity)
	}
	l := &c.Lock
	switch {
	case l.Kind == LockNone || l.Kind == LockUnspendable:
	case l.ByTime:
		l.UnlockTime = int64(h.Timestamp) + l.Seconds
	case l.Disabled:
		l.UnlockHeight = height
	default:
		l.UnlockHeight = addHeight(height, l.Blocks)
	}
	if l.Kind == LockAttenuation {
		l.FirstReleaseHeight = addHeight(height, l.Model.LH)
	}
}

// addHeight is h + blocks, NeverUnlocks when it overflows (a model's end the node cannot
// reach).
func addHeight(h, blocks uint64) uint64 {
	if blocks > NeverUnlocks-h {
		return NeverUnlocks
	}
	return h + blocks
}
