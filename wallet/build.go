package wallet

// Builders assemble unsigned transactions of every MVS kind, funded by SelectCoins, and
// return them as the offline-signing object (Unsigned): the transaction plus the outputs it
// spends. Every result passes tx.CheckSanity before it is returned. Fees are flat (default
// the network's consensus minimum); the special fees of asset issue and DID registration
// are paid as the reference wallet pays them: MinerFeePercent of the fee to the miner, the
// rest to the developer-community address.

import (
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// Builder errors. Every method of a Builder checks it first (Params set, TipHeight set, Fee
// within [minimum, MaxFee], ChangeAddress payable) and every address it is asked to pay.
var (
	ErrBuild = errors.New("wallet: cannot build this transaction")
	// ErrBlackholeAddress: a payment, change or recipient address is the blackhole burn
	// address. It decodes as a valid address, but paying it destroys the coins; only Burn
	// burns.
	ErrBlackholeAddress = errors.New("wallet: refusing to pay the blackhole (burn) address; use Builder.Burn to burn")
	// ErrZeroAddress: an mvs.Address that was not made by mvs.DecodeAddress or a
	// constructor (the zero value, or one without its Kind): its script would be empty, an
	// output anyone could spend.
	ErrZeroAddress = errors.New("wallet: invalid Address (zero, or not made by mvs.DecodeAddress or a constructor)")
	// ErrFeeTooLow: a fee below what the chain or the reference miner requires: the
	// consensus minimum (Params.MinTxFee, 10,000 satoshi) for every transaction, and the
	// miner's special fees for an asset issue or a DID registration.
	ErrFeeTooLow = errors.New("wallet: fee below the minimum the chain requires")
	// ErrFeeTooHigh: a fee above the Builder's MaxFee (default DefaultMaxFee) without
	// AllowHighFee.
	ErrFeeTooHigh = errors.New("wallet: fee above the cap (set Builder.AllowHighFee to pay it)")
)

// DefaultMaxFee is the fee cap a Builder applies when MaxFee is zero: 1 ETP, ten thousand
// times the consensus minimum of 0.0001 ETP. MVS fees are flat (they do not grow with size)
// and blocks are far from full, so every wallet pays the minimum; a fee near 1 ETP is a
// typo or a unit mistake (ETP for satoshi), which is what bitcoind's maxtxfee (0.1 BTC)
// guards against too. The miner's share of the special fees (2 ETP of the 10 ETP issue
// fee) is what those transactions require, and is allowed above the cap.
const DefaultMaxFee = 1 * mvs.SatoshiPerETP

// Builder holds what every transaction built against one chain state shares. The zero value
// is not usable: set Params and TipHeight; every method returns ErrNoParams or
// ErrNoTipHeight otherwise.
//
// Addresses. Every address a method pays (payments, recipients, ChangeAddress) must be of
// the Builder's network: a zero Address is ErrZeroAddress, the blackhole is
// ErrBlackholeAddress (only Burn burns), and a P2PKH address of another network is an
// *AddressNetworkError naming both networks. The network is told by the version byte, which
// cannot separate everything: P2SH addresses use 0x05 on mainnet, testnet and regtest, and
// testnet and regtest share P2PKH 0x7f, so a testnet builder accepts a regtest address and
// any builder accepts another network's P2SH address.
//
// Proofs. Coins that carry PrevTx (see CoinFromTx) are proven: the builder attaches their
// previous transactions to the Unsigned, which Sign requires by default. Coins with Origin
// record which key spends them, so a cold signer derives only those keys
// (Unsigned.SignWithAccount).
//
// Methods never modify the Builder (RegisterDID and RegisterMIT used to swap
// ChangeAddress for the call), so one Builder may serve concurrent builds.
type Builder struct {
	Params *mvs.Params
	// TipHeight is the current chain height: maturity, locks and the transaction version
	// are judged against it. Zero is refused (ErrNoTipHeight).
	TipHeight uint32
	// Fee defaults to Params.MinTxFee; less than that is ErrFeeTooLow, more than MaxFee is
	// ErrFeeTooHigh unless AllowHighFee. Asset issue and DID registration pay the miner's
	// share of their special fee instead (Params.IssueFee, Params.DIDFee).
	Fee mvs.Amount
	// MaxFee caps the fee a transaction pays (what its inputs hold beyond its outputs);
	// zero means DefaultMaxFee.
	MaxFee mvs.Amount
	// AllowHighFee lifts the MaxFee cap: set it only when a fee that large is meant.
	AllowHighFee bool
	// ChangeAddress receives change; by default the address of the first input.
	ChangeAddress mvs.Address
	// MinConfirmations defaults to DefaultMinConfirmations.
	MinConfirmations uint32
	// Coins are the wallet's candidate coins.
	Coins []Coin
}

// Payment is an ETP amount to an address.
type Payment struct {
	To     mvs.Address
	Amount mvs.Amount
}

// AddressNetworkError is the root package's: an address of another network, naming both.
type AddressNetworkError = mvs.AddressNetworkError

// checkAddress refuses an address the Builder must not pay: zero, the blackhole, or one of
// another network (as far as the version byte tells).
func (b *Builder) checkAddress(a mvs.Address, role string) error {
	var want byte
	switch a.Kind {
	case mvs.PubKeyHash:
		want = b.Params.PubKeyHashAddrID
	case mvs.ScriptHash:
		want = b.Params.ScriptHashAddrID
	case mvs.Blackhole:
		return fmt.Errorf("%s: %w", role, ErrBlackholeAddress)
	default:
		return fmt.Errorf("%s: %w", role, ErrZeroAddress)
	}
	if a.Version == want {
		return nil
	}
	return fmt.Errorf("%s: %w", role, mvs.NewAddressNetworkError(a, b.Params))
}

// ready is every method's first check: a Builder that can judge coins and a fee within
// bounds. It does not change b.
func (b *Builder) ready() error {
	if b == nil || b.Params == nil {
		return ErrNoParams
	}
	if b.TipHeight == 0 {
		return ErrNoTipHeight
	}
	if b.Fee != 0 && b.Fee < b.Params.MinTxFee {
		return fmt.Errorf("%w: Fee %d satoshi, %s's minimum is %d", ErrFeeTooLow, b.Fee, b.Params.Name, b.Params.MinTxFee)
	}
	if b.Fee > b.maxFee() && !b.AllowHighFee {
		return fmt.Errorf("%w: Fee %s ETP, cap %s ETP", ErrFeeTooHigh, b.Fee, b.maxFee())
	}
	if b.ChangeAddress != (mvs.Address{}) {
		return b.checkAddress(b.ChangeAddress, "ChangeAddress")
	}
	return nil
}

// readyTo is ready plus the addresses a method pays.
func (b *Builder) readyTo(to ...mvs.Address) error {
	if err := b.ready(); err != nil {
		return err
	}
	for i, a := range to {
		role := "recipient"
		if len(to) > 1 {
			role = fmt.Sprintf("recipient %d", i)
		}
		if err := b.checkAddress(a, role); err != nil {
			return err
		}
	}
	return nil
}

func (b *Builder) maxFee() mvs.Amount {
	if b.MaxFee == 0 {
		return DefaultMaxFee
	}
	return b.MaxFee
}

func (b *Builder) fee() mvs.Amount {
	if b.Fee == 0 {
		return b.Params.MinTxFee
	}
	return b.Fee
}

// txVersion is 4 once SuperNova is active (the wallet's rule; mandatory after PoS), else 2.
func (b *Builder) txVersion() uint32 {
	if b.TipHeight > b.Params.NovaHeight || b.Params.NovaHeight == 0 {
		return tx.VersionNova
	}
	return tx.VersionCheckOutputScript
}

func (b *Builder) spend() Spendability {
	return Spendability{TipHeight: b.TipHeight, MinConfirmations: b.MinConfirmations, Params: b.Params}
}

func etpAttachment() tx.Attachment { return tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP} }

// output pays value to an address with an attachment.
func output(to mvs.Address, value mvs.Amount, a tx.Attachment) tx.Output {
	return tx.Output{Value: value, Script: script.PayToAddress(to), Attachment: a}
}

// sealOpts are what seal needs beyond the transaction: the special fee of an asset issue or
// a DID registration (0 otherwise), and whether a burn output is intended.
type sealOpts struct {
	special mvs.Amount
	burn    bool
	// change, when valid, receives ETP change unless ChangeAddress is set (a MIT or DID
	// register wants its ETP outputs at its own address).
	change mvs.Address
}

// assemble funds outputs (plus fee) with ETP coins on top of the forced inputs (coins that
// must be spent for what they carry: an asset, a certificate, a DID), adds ETP change, and
// seals the result for signing.
func (b *Builder) assemble(forced []Coin, outs []tx.Output, fee mvs.Amount, extraChange []tx.Output, so sealOpts) (*Unsigned, error) {
	var outTotal, forcedETP mvs.Amount
	for _, o := range outs {
		outTotal += o.Value
	}
	for _, c := range forced {
		forcedETP += c.Value
	}
	need, ok := (outTotal + fee).Sub(forcedETP)
	var sel *Selection
	var err error
	excluded := map[tx.OutPoint]bool{}
	for _, c := range forced {
		excluded[c.OutPoint] = true
	}
	var pool []Coin
	for _, c := range b.Coins {
		if !excluded[c.OutPoint] {
			pool = append(pool, c)
		}
	}
	room := MaxInputs - len(forced)
	if room <= 0 || len(forced)+len(outs)+len(extraChange) >= MaxInputsAndOutputs {
		return nil, fmt.Errorf("%w: %d inputs and %d outputs before funding", ErrTooManyInputs, len(forced), len(outs)+len(extraChange))
	}
	if ok && need > 0 {
		// SelectCoins adds the fee itself; here it is inside need. Its input and output
		// budget is what the forced inputs leave.
		sel, err = SelectCoins(pool, SelectRequest{Target: need, Outputs: len(outs) + len(extraChange) + len(forced), Spendability: b.spend(),
			MaxInputs: room})
		if err != nil {
			return nil, err
		}
	} else {
		sel = &Selection{}
		if !ok { // the forced inputs carry more ETP than needed: the surplus is change...
			sel.Change = forcedETP - outTotal - fee
		}
		if sel.Change < b.Params.MinTxFee { // ...unless it is dust, which goes to the fee
			sel.Change = 0
		}
	}
	inputs := append(append([]Coin(nil), forced...), sel.Coins...)
	if len(inputs) == 0 {
		return nil, fmt.Errorf("%w: nothing to spend", ErrBuild)
	}
	t := &tx.Tx{Version: b.txVersion()}
	for _, c := range inputs {
		t.Inputs = append(t.Inputs, tx.Input{PreviousOutput: c.OutPoint, Sequence: spendSequence(&c)})
	}
	t.Outputs = append(append(t.Outputs, outs...), extraChange...)
	if sel.Change > 0 {
		to := so.change
		if b.ChangeAddress.IsValid() || !to.IsValid() {
			if to, err = b.changeTo(&inputs[0]); err != nil {
				return nil, err
			}
		}
		t.Outputs = append(t.Outputs, output(to, sel.Change, etpAttachment()))
	}
	if len(t.Inputs) > MaxInputs || len(t.Inputs)+len(t.Outputs) > MaxInputsAndOutputs {
		return nil, fmt.Errorf("%w: %d inputs, %d outputs", ErrTooManyInputs, len(t.Inputs), len(t.Outputs))
	}
	return b.seal(t, inputs, nil, so)
}

// seal is every builder's last step: it refuses outputs that burn or that anyone may spend
// (unless burning is the point), runs the context-free checks, checks the fee the
// transaction actually pays against the chain's minimum, the miner's special fees and the
// cap, and wraps the result with the coins' origins and previous transactions.
func (b *Builder) seal(t *tx.Tx, inputs []Coin, redeems [][]byte, so sealOpts) (*Unsigned, error) {
	for i, o := range t.Outputs {
		switch {
		case len(o.Script) == 0:
			return nil, fmt.Errorf("output %d: %w: empty script", i, ErrZeroAddress)
		case !so.burn && script.Classify(o.Script) == script.PayBlackhole:
			return nil, fmt.Errorf("output %d: %w", i, ErrBlackholeAddress)
		}
	}
	if err := t.CheckSanity(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBuild, err)
	}
	prevs := make([]tx.PrevOut, len(inputs))
	var in, out mvs.Amount
	for i, c := range inputs {
		prevs[i] = c.PrevOut
		var ok bool
		if in, ok = in.Add(c.Value); !ok {
			return nil, fmt.Errorf("%w: input values overflow", ErrBuild)
		}
	}
	for _, o := range t.Outputs {
		out += o.Value // CheckSanity bounded the total
	}
	fee, ok := in.Sub(out)
	if !ok {
		return nil, fmt.Errorf("%w: outputs (%d) exceed inputs (%d)", ErrBuild, out, in)
	}
	if err := b.checkFee(t, fee, so.special); err != nil {
		return nil, err
	}
	u, err := NewUnsigned(t, prevs, redeems, b.Params)
	if err != nil {
		return nil, err
	}
	var proofs []*tx.Tx
	seen := map[mvs.Hash]bool{}
	for i, c := range inputs {
		if c.Origin != nil {
			o := *c.Origin
			u.Inputs[i].Origin = &o
		}
		if c.PrevTx == nil {
			continue
		}
		h := c.PrevTx.Hash()
		if h != c.OutPoint.Hash {
			return nil, fmt.Errorf("%w: input %d: the coin's PrevTx is %v, not the transaction of %v", ErrPrevOutMismatch, i, h, c.OutPoint)
		}
		if !seen[h] {
			seen[h] = true
			proofs = append(proofs, c.PrevTx)
		}
	}
	if err := u.AddPrevTxs(proofs...); err != nil {
		return nil, fmt.Errorf("a coin does not match its PrevTx: %w", err)
	}
	return u, nil
}

// checkFee checks the fee a transaction pays: at least the consensus minimum; for an asset
// issue or DID registration, what the reference miner's check_special_fees wants (the
// miner fee plus the ETP paid to the developer-community address at least the special fee,
// with at least MinerFeePercent of it to the miner, rounded up as the miner rounds); and
// at most the cap, or the miner's share of the special fee when that is more.
func (b *Builder) checkFee(t *tx.Tx, fee, special mvs.Amount) error {
	p := b.Params
	if fee < p.MinTxFee {
		return fmt.Errorf("%w: the transaction pays %d satoshi, %s's minimum is %d", ErrFeeTooLow, fee, p.Name, p.MinTxFee)
	}
	required := p.MinTxFee
	if special > 0 {
		required = max(required, special*mvs.Amount(p.MinerFeePercent)/100)
		if err := b.checkSpecialFee(t, fee); err != nil {
			return err
		}
	}
	limit := max(b.maxFee(), required)
	if fee > limit && !b.AllowHighFee {
		return fmt.Errorf("%w: the transaction pays %s ETP, cap %s ETP", ErrFeeTooHigh, fee, limit)
	}
	return nil
}

// checkSpecialFee is the reference miner's check_special_fees (asset.CheckSpecialFees): an
// asset issue or DID registration the miner would not mine is refused here, not after it
// has been broadcast.
func (b *Builder) checkSpecialFee(t *tx.Tx, fee mvs.Amount) error {
	if err := asset.CheckSpecialFees(t, fee, b.Params); err != nil {
		return fmt.Errorf("%w: %w", ErrFeeTooLow, err)
	}
	return nil
}

// changeTo is where change goes: ChangeAddress, or else the address of c, the first coin
// spent.
func (b *Builder) changeTo(c *Coin) (mvs.Address, error) {
	if b.ChangeAddress.IsValid() {
		return b.ChangeAddress, nil
	}
	a, ok := script.Script(c.Script).Address(b.Params)
	if !ok {
		return mvs.Address{}, fmt.Errorf("%w: no change address and the first coin spent has none", ErrBuild)
	}
	return a, b.checkAddress(a, "change address (the first coin's)")
}

// assetTransfer is the attachment of an asset transfer output.
func assetTransfer(symbol string, q uint64) tx.Attachment {
	return tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: symbol, Quantity: q}}
}

// spendSequence is the sequence an input needs: a sequence-locked output (a PoS stake
// lock) is spent through OP_CHECKSEQUENCEVERIFY, which wants the input's sequence to carry
// the lock (final 0xffffffff disables it and fails the check); every other input is final.
func spendSequence(c *Coin) uint32 {
	if v, ok := script.SequenceLockValue(c.Script); ok {
		return v
	}
	return 0xffffffff
}

// Send pays ETP to one or more addresses.
func (b *Builder) Send(payments ...Payment) (*Unsigned, error) {
	if err := b.ready(); err != nil {
		return nil, err
	}
	if len(payments) == 0 {
		return nil, fmt.Errorf("%w: no payments", ErrBuild)
	}
	outs := make([]tx.Output, len(payments))
	for i, p := range payments {
		if err := b.checkAddress(p.To, fmt.Sprintf("payment %d", i)); err != nil {
			return nil, err
		}
		if p.Amount == 0 {
			return nil, fmt.Errorf("%w: payment %d is zero", ErrBuild, i)
		}
		outs[i] = output(p.To, p.Amount, etpAttachment())
	}
	return b.assemble(nil, outs, b.fee(), nil, sealOpts{})
}

// SendMessage pays amount (may be zero) to an address with a text message attached.
func (b *Builder) SendMessage(to mvs.Address, amount mvs.Amount, message string) (*Unsigned, error) {
	if err := b.readyTo(to); err != nil {
		return nil, err
	}
	a := tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeMessage, Payload: &tx.Message{Content: message}}
	if err := a.CheckValid(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBuild, err)
	}
	return b.assemble(nil, []tx.Output{output(to, amount, a)}, b.fee(), nil, sealOpts{})
}

// Burn sends ETP to the blackhole (a bare OP_RETURN output).
func (b *Builder) Burn(amount mvs.Amount) (*Unsigned, error) {
	if err := b.ready(); err != nil {
		return nil, err
	}
	o := tx.Output{Value: amount, Script: script.Blackhole(), Attachment: etpAttachment()}
	return b.assemble(nil, []tx.Output{o}, b.fee(), nil, sealOpts{burn: true})
}

// Deposit locks amount at address for one of the network's deposit lock heights (pre-PoS
// only: deposits are rejected once the tip reaches the PoS fork).
func (b *Builder) Deposit(to mvs.Address, amount mvs.Amount, lockHeight uint32) (*Unsigned, error) {
	if err := b.readyTo(to); err != nil {
		return nil, err
	}
	if b.TipHeight >= b.Params.PoSHeight {
		return nil, fmt.Errorf("%w: deposits are invalid from height %d", ErrBuild, b.Params.PoSHeight)
	}
	valid := false
	for _, h := range b.Params.DepositLockHeights {
		valid = valid || h == lockHeight
	}
	if !valid || to.Kind != mvs.PubKeyHash {
		return nil, fmt.Errorf("%w: lock height %d is not one of %v (or %s is not P2PKH)", ErrBuild, lockHeight, b.Params.DepositLockHeights, to)
	}
	o := tx.Output{Value: amount, Script: script.LockHeightDeposit(to.Hash, lockHeight), Attachment: etpAttachment()}
	return b.assemble(nil, []tx.Output{o}, b.fee(), nil, sealOpts{})
}

// specialFee splits a special fee (asset issue, DID registration) as the reference wallet
// does: MinerFeePercent stays as the transaction fee, the rest goes to the developer
// community address.
func (b *Builder) specialFee(total mvs.Amount) (minerFee mvs.Amount, dev tx.Output, err error) {
	addr, err := mvs.DecodeAddress(b.Params.DeveloperAddress, b.Params)
	if err != nil {
		return 0, tx.Output{}, err
	}
	minerFee = total * mvs.Amount(b.Params.MinerFeePercent) / 100
	return minerFee, output(addr, total-minerFee, etpAttachment()), nil
}

// AssetIssue describes a new MST asset.
type AssetIssue struct {
	Symbol        string
	MaximumSupply uint64
	Decimals      uint8
	// Threshold: 0 never re-issuable; 1–100 the percent the issuer must hold to issue more;
	// 127 freely re-issuable.
	Threshold   uint8
	IssuerDID   string // the issuer's DID symbol
	Description string
	// DomainCert adds the domain certificate of the symbol's domain (the text before the
	// first '.'); with it false the caller must own that domain's certificate or a naming
	// certificate and give it as NamingCert.
	DomainCert bool
	NamingCert *Coin
}

// IssueAsset issues an asset to an address (which must be bound to the issuer's DID): the
// detail output, the issue certificate when the asset can be re-issued, the domain (or a
// spent naming) certificate, and the issue fee split between miner and developer address.
func (b *Builder) IssueAsset(to mvs.Address, a AssetIssue) (*Unsigned, error) {
	if err := b.readyTo(to); err != nil {
		return nil, err
	}
	if a.Threshold != 0 && a.Threshold != 127 && a.Threshold > 100 {
		return nil, fmt.Errorf("%w: threshold %d (0, 1–100 or 127)", ErrBuild, a.Threshold)
	}
	att := func(p tx.Payload, typ tx.AttachmentType) tx.Attachment {
		return tx.Attachment{Version: tx.AttachVersionDID, Type: typ, ToDID: a.IssuerDID, Payload: p}
	}
	outs := []tx.Output{output(to, 0, att(&tx.AssetDetail{Symbol: a.Symbol, MaximumSupply: a.MaximumSupply,
		Decimals: a.Decimals, SecondaryIssueThreshold: a.Threshold, Issuer: a.IssuerDID, Address: to.String(),
		Description: a.Description}, tx.TypeAsset))}
	if a.Threshold != 0 {
		outs = append(outs, output(to, 0, att(&tx.AssetCert{Symbol: a.Symbol, Owner: a.IssuerDID, Address: to.String(),
			CertType: tx.CertIssue, Status: tx.CertStatusAutoIssue}, tx.TypeAssetCert)))
	}
	var forced []Coin
	switch {
	case a.DomainCert:
		domain := a.Symbol
		for i := range domain {
			if domain[i] == '.' {
				domain = domain[:i]
				break
			}
		}
		outs = append(outs, output(to, 0, att(&tx.AssetCert{Symbol: domain, Owner: a.IssuerDID, Address: to.String(),
			CertType: tx.CertDomain, Status: tx.CertStatusAutoIssue}, tx.TypeAssetCert)))
	case a.NamingCert != nil:
		c, ok := a.NamingCert.Attachment.Payload.(*tx.AssetCert)
		if !ok || c.CertType != tx.CertNaming || c.Symbol != a.Symbol {
			return nil, fmt.Errorf("%w: NamingCert is not the naming certificate of %s", ErrBuild, a.Symbol)
		}
		forced = append(forced, *a.NamingCert)
		// Returned in status normal, as the node's wallet does: check_asset_cert_transaction
		// refuses a certificate in status transfer beside an asset issue.
		outs = append(outs, output(to, 0, att(&tx.AssetCert{Symbol: c.Symbol, Owner: a.IssuerDID, Address: to.String(),
			CertType: tx.CertNaming, Status: tx.CertStatusNormal}, tx.TypeAssetCert)))
	default:
		return nil, fmt.Errorf("%w: an issue needs the domain certificate or a naming certificate", ErrBuild)
	}
	for _, o := range outs {
		if err := o.Attachment.CheckValid(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBuild, err)
		}
	}
	minerFee, dev, err := b.specialFee(b.Params.IssueFee)
	if err != nil {
		return nil, err
	}
	return b.assemble(forced, append(outs, dev), minerFee, nil, sealOpts{special: b.Params.IssueFee})
}

// SendAsset transfers quantity of an asset to an address (optionally naming DIDs, which
// makes the outputs version-207 attachments), funding the fee with ETP and returning asset
// change to the change address.
func (b *Builder) SendAsset(to mvs.Address, symbol string, quantity uint64, toDID, fromDID string) (*Unsigned, error) {
	if err := b.readyTo(to); err != nil {
		return nil, err
	}
	coins, change, err := SelectAssetCoins(b.Coins, symbol, quantity, b.spend())
	if err != nil {
		return nil, err
	}
	mk := func(q uint64, did string) tx.Attachment {
		a := assetTransfer(symbol, q)
		if did != "" || fromDID != "" {
			a.Version, a.ToDID, a.FromDID = tx.AttachVersionDID, did, fromDID
		}
		return a
	}
	outs := []tx.Output{output(to, 0, mk(quantity, toDID))}
	var extra []tx.Output
	if change > 0 {
		back, err := b.changeTo(&coins[0])
		if err != nil {
			return nil, err
		}
		extra = append(extra, output(back, 0, mk(change, "")))
	}
	return b.assemble(coins, outs, b.fee(), extra, sealOpts{})
}

// RegisterDID registers a DID symbol to an address (DIDFee split like the issue fee). The
// transaction must spend an ETP output of that address: the first coin of the address is
// forced in.
func (b *Builder) RegisterDID(addr mvs.Address, symbol string) (*Unsigned, error) {
	if err := b.readyTo(addr); err != nil {
		return nil, err
	}
	var own *Coin
	for i := range b.Coins {
		c := &b.Coins[i]
		if a, ok := script.Script(c.Script).Address(b.Params); ok && a == addr && isPlainETP(c) && b.spend().Why(c) == nil {
			own = c
			break
		}
	}
	if own == nil {
		return nil, fmt.Errorf("%w: registering a DID spends an ETP output of %s; none is spendable", ErrBuild, addr)
	}
	did := tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeDID, Payload: &tx.DID{Status: tx.DIDStatusRegister, Symbol: symbol, Address: addr.String()}}
	minerFee, dev, err := b.specialFee(b.Params.DIDFee)
	if err != nil {
		return nil, err
	}
	return b.assemble([]Coin{*own}, []tx.Output{output(addr, 0, did), dev}, minerFee, nil,
		sealOpts{special: b.Params.DIDFee, change: addr})
}

// TransferDID moves a DID to a new address: exactly two inputs, the DID's output and an ETP
// output of the new address that pays the fee.
func (b *Builder) TransferDID(didCoin, funding Coin, to mvs.Address) (*Unsigned, error) {
	if err := b.readyTo(to); err != nil {
		return nil, err
	}
	d, ok := didCoin.Attachment.Payload.(*tx.DID)
	if !ok {
		return nil, fmt.Errorf("%w: the first coin carries no DID", ErrBuild)
	}
	if a, ok := script.Script(funding.Script).Address(b.Params); !ok || a != to || !isPlainETP(&funding) {
		return nil, fmt.Errorf("%w: the funding coin must be plain ETP of the new address", ErrBuild)
	}
	fee := b.fee()
	if funding.Value+didCoin.Value < fee {
		return nil, &InsufficientFundsError{Need: uint64(fee), Spendable: uint64(funding.Value + didCoin.Value)}
	}
	// No to_did: consensus checks a to_did against the DID the address already has
	// (check_attachment_to_did), and the new address has none until this transaction; the
	// node's wallet writes none either.
	att := tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeDID,
		Payload: &tx.DID{Status: tx.DIDStatusTransfer, Symbol: d.Symbol, Address: to.String()}}
	t := &tx.Tx{Version: b.txVersion(),
		Inputs:  []tx.Input{{PreviousOutput: didCoin.OutPoint, Sequence: 0xffffffff}, {PreviousOutput: funding.OutPoint, Sequence: 0xffffffff}},
		Outputs: []tx.Output{output(to, funding.Value+didCoin.Value-fee, att)}}
	return b.seal(t, []Coin{didCoin, funding}, nil, sealOpts{})
}

// RegisterMIT registers unique tokens at an address (one output each).
func (b *Builder) RegisterMIT(to mvs.Address, symbol, content string) (*Unsigned, error) {
	if err := b.readyTo(to); err != nil {
		return nil, err
	}
	a := tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeMIT, Payload: &tx.MIT{Status: tx.MITStatusRegister, Symbol: symbol, Address: to.String(), Content: content}}
	if err := a.CheckValid(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBuild, err)
	}
	// ETP outputs of a MIT register must go to its address.
	return b.assemble(nil, []tx.Output{output(to, 0, a)}, b.fee(), nil, sealOpts{change: to})
}

// TransferMIT moves a unique token to another address.
func (b *Builder) TransferMIT(mitCoin Coin, to mvs.Address) (*Unsigned, error) {
	if err := b.readyTo(to); err != nil {
		return nil, err
	}
	m, ok := mitCoin.Attachment.Payload.(*tx.MIT)
	if !ok {
		return nil, fmt.Errorf("%w: the coin carries no MIT", ErrBuild)
	}
	a := tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeMIT, Payload: &tx.MIT{Status: tx.MITStatusTransfer, Symbol: m.Symbol, Address: to.String()}}
	return b.assemble([]Coin{mitCoin}, []tx.Output{output(to, 0, a)}, b.fee(), nil, sealOpts{})
}

// TransferCert moves a certificate to another address and owner DID (exactly one in, one
// out).
func (b *Builder) TransferCert(certCoin Coin, to mvs.Address, toDID string) (*Unsigned, error) {
	if err := b.readyTo(to); err != nil {
		return nil, err
	}
	c, ok := certCoin.Attachment.Payload.(*tx.AssetCert)
	if !ok {
		return nil, fmt.Errorf("%w: the coin carries no certificate", ErrBuild)
	}
	a := tx.Attachment{Version: tx.AttachVersionDID, Type: tx.TypeAssetCert, ToDID: toDID,
		Payload: &tx.AssetCert{Symbol: c.Symbol, Owner: toDID, Address: to.String(), CertType: c.CertType, Status: tx.CertStatusTransfer, Content: c.Content}}
	return b.assemble([]Coin{certCoin}, []tx.Output{output(to, 0, a)}, b.fee(), nil, sealOpts{})
}

// IssueCert issues a naming certificate under a domain the caller holds (the domain
// certificate is spent and returned).
func (b *Builder) IssueCert(domainCert Coin, name string, to mvs.Address, toDID string) (*Unsigned, error) {
	if err := b.readyTo(to); err != nil {
		return nil, err
	}
	d, ok := domainCert.Attachment.Payload.(*tx.AssetCert)
	if !ok || d.CertType != tx.CertDomain {
		return nil, fmt.Errorf("%w: the coin is not a domain certificate", ErrBuild)
	}
	back, ok := script.Script(domainCert.Script).Address(b.Params)
	if !ok {
		return nil, fmt.Errorf("%w: the domain certificate's output has no address", ErrBuild)
	}
	if err := b.checkAddress(back, "the domain certificate's address"); err != nil {
		return nil, err
	}
	// The issued certificate first, then the domain certificate returned: the node's
	// check_asset_cert_transaction accepts a domain certificate only after the naming one.
	outs := []tx.Output{
		output(to, 0, tx.Attachment{Version: tx.AttachVersionDID, Type: tx.TypeAssetCert, ToDID: toDID, Payload: &tx.AssetCert{Symbol: name, Owner: toDID, Address: to.String(), CertType: tx.CertNaming, Status: tx.CertStatusIssue}}),
		output(back, 0, tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeAssetCert, Payload: &tx.AssetCert{Symbol: d.Symbol, Owner: d.Owner, Address: back.String(), CertType: tx.CertDomain}}),
	}
	return b.assemble([]Coin{domainCert}, outs, b.fee(), nil, sealOpts{})
}

// NewMultisig returns an m-of-n redeem script (keys sorted, as the node sorts them) and its
// P2SH address.
func NewMultisig(m int, pubKeys [][]byte, p *mvs.Params) ([]byte, mvs.Address, error) {
	redeem, err := script.MultisigRedeemScript(m, pubKeys)
	if err != nil {
		return nil, mvs.Address{}, err
	}
	return redeem, mvs.NewScriptHashAddress(mvs.Hash160(redeem), p), nil
}

// SpendMultisig pays from P2SH multisig coins (all locked by redeem) to payments; signers
// add partial signatures with Unsigned.Sign and exchange them with Combine.
func (b *Builder) SpendMultisig(coins []Coin, redeem []byte, payments ...Payment) (*Unsigned, error) {
	if err := b.ready(); err != nil {
		return nil, err
	}
	if len(coins) == 0 {
		return nil, fmt.Errorf("%w: no coins to spend", ErrBuild)
	}
	addr := mvs.NewScriptHashAddress(mvs.Hash160(redeem), b.Params)
	var total mvs.Amount
	for _, c := range coins {
		if a, ok := script.Script(c.Script).Address(b.Params); !ok || a != addr {
			return nil, fmt.Errorf("%w: coin %v is not locked by this redeem script", ErrBuild, c.OutPoint)
		}
		total += c.Value
	}
	t := &tx.Tx{Version: b.txVersion()}
	redeems := make([][]byte, len(coins))
	for i, c := range coins {
		t.Inputs = append(t.Inputs, tx.Input{PreviousOutput: c.OutPoint, Sequence: 0xffffffff})
		redeems[i] = redeem
	}
	var paid mvs.Amount
	for i, p := range payments {
		if err := b.checkAddress(p.To, fmt.Sprintf("payment %d", i)); err != nil {
			return nil, err
		}
		t.Outputs = append(t.Outputs, output(p.To, p.Amount, etpAttachment()))
		paid += p.Amount
	}
	change, ok := total.Sub(paid + b.fee())
	if !ok {
		return nil, &InsufficientFundsError{Need: uint64(paid + b.fee()), Spendable: uint64(total)}
	}
	if change >= b.Params.MinTxFee {
		t.Outputs = append(t.Outputs, output(addr, change, etpAttachment()))
	}
	return b.seal(t, coins, redeems, sealOpts{})
}

// SendAssetLocked transfers quantity of an asset to an address locked under an attenuation
// model (MIP-7/8): the output script is the attenuation pattern with the model and the null
// outpoint that marks a new lock. modelParam is what the node's wallet takes, with or
// without the PN/LH prefix (e.g. "TYPE=1;LQ=9000;LP=60000;UN=3", or "TYPE=3;…;IR=8" whose
// periods are computed); asset.ExpandModel checks it against quantity and writes the param
// the chain will see.
func (b *Builder) SendAssetLocked(to mvs.Address, symbol string, quantity uint64, modelParam string) (*Unsigned, error) {
	if err := b.readyTo(to); err != nil {
		return nil, err
	}
	lock, err := b.newLock(to, modelParam, quantity)
	if err != nil {
		return nil, err
	}
	coins, change, err := SelectAssetCoins(b.Coins, symbol, quantity, b.spend())
	if err != nil {
		return nil, err
	}
	outs := []tx.Output{{Script: lock, Attachment: assetTransfer(symbol, quantity)}}
	var extra []tx.Output
	if change > 0 {
		back, err := b.changeTo(&coins[0])
		if err != nil {
			return nil, err
		}
		extra = append(extra, output(back, 0, assetTransfer(symbol, change)))
	}
	return b.assemble(coins, outs, b.fee(), extra, sealOpts{})
}

// SecondaryIssue describes more supply of an existing, re-issuable asset (MIP-3/4).
type SecondaryIssue struct {
	// Detail is the asset as the chain records it (the issue's AssetDetail, e.g. from the
	// node's getasset): its symbol, decimals, threshold and description are kept.
	Detail tx.AssetDetail
	// TotalSupply is the asset's current total volume on the chain.
	TotalSupply uint64
	// Volume is the supply to add.
	Volume uint64
	// ToDID, when set, is the DID of the receiving address: the detail output then names it
	// (version-207 attachment) and, as the reference wallet writes it, as the issuer.
	ToDID string
	// IssueCert is the output holding the asset's issue certificate; it is spent and
	// returned to its own address.
	IssueCert Coin
	// ModelParam, when set, locks the new supply under an attenuation model (as
	// SendAssetLocked takes it).
	ModelParam string
}

// SecondaryIssue adds supply to an asset at address to: the secondary-issue detail output,
// the issue certificate spent and returned, and the issuer's share of the asset (see
// asset.SecondaryIssueShare) spent from to and returned to it in one transfer, which is how
// consensus sees that the address holds enough.
func (b *Builder) SecondaryIssue(to mvs.Address, s SecondaryIssue) (*Unsigned, error) {
	if err := b.readyTo(to); err != nil {
		return nil, err
	}
	d := s.Detail
	threshold := d.Threshold()
	if threshold != 127 && (threshold < 1 || threshold > 100) {
		return nil, fmt.Errorf("%w: %s cannot be issued again (threshold %d)", ErrBuild, d.Symbol, threshold)
	}
	if s.Volume == 0 || s.TotalSupply > ^uint64(0)-s.Volume {
		return nil, fmt.Errorf("%w: adding %d to a supply of %d", ErrBuild, s.Volume, s.TotalSupply)
	}
	cert, ok := s.IssueCert.Attachment.Payload.(*tx.AssetCert)
	if !ok || cert.CertType != tx.CertIssue || cert.Symbol != d.Symbol {
		return nil, fmt.Errorf("%w: IssueCert is not the issue certificate of %s", ErrBuild, d.Symbol)
	}
	certAddr, ok := script.Script(s.IssueCert.Script).Address(b.Params)
	if !ok {
		return nil, fmt.Errorf("%w: the issue certificate's output has no address", ErrBuild)
	}
	if err := b.checkAddress(certAddr, "the issue certificate's address"); err != nil {
		return nil, err
	}
	forced := []Coin{s.IssueCert}
	var extra []tx.Output
	if share := asset.SecondaryIssueShare(s.TotalSupply, threshold); share > 0 {
		var own []Coin // consensus takes the asset inputs from the issuing address only
		for _, c := range b.Coins {
			if a, ok := script.Script(c.Script).Address(b.Params); ok && a == to {
				own = append(own, c)
			}
		}
		coins, change, err := SelectAssetCoins(own, d.Symbol, share, b.spend())
		if err != nil {
			return nil, fmt.Errorf("%w: %s holds too little %s for a %d%% threshold: %w", ErrBuild, to, d.Symbol, threshold, err)
		}
		forced = append(forced, coins...)
		extra = append(extra, output(to, 0, assetTransfer(d.Symbol, share+change)))
	}
	d.Address = to.String()
	d.SecondaryIssueThreshold = threshold | 128
	d.MaximumSupply = s.Volume
	d.Issuer = s.ToDID
	detail := tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeAsset, Payload: &d}
	if s.ToDID != "" {
		detail.Version, detail.ToDID = tx.AttachVersionDID, s.ToDID
	}
	issue := output(to, 0, detail)
	if s.ModelParam != "" {
		lock, err := b.newLock(to, s.ModelParam, s.Volume)
		if err != nil {
			return nil, err
		}
		issue.Script = lock
	}
	// A version-1 attachment: with to/from DIDs the node checks them against the DID now
	// bound to the certificate's address, which the recorded owner may no longer be.
	certOut := output(certAddr, 0, tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeAssetCert,
		Payload: &tx.AssetCert{Symbol: cert.Symbol, Owner: cert.Owner, Address: certAddr.String(), CertType: tx.CertIssue}})
	for _, o := range []tx.Output{issue, certOut} {
		if err := o.Attachment.CheckValid(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBuild, err)
		}
	}
	return b.assemble(forced, []tx.Output{issue, certOut}, b.fee(), extra, sealOpts{})
}

// SpendLocked spends an attenuation-locked asset output (one made by SendAssetLocked, a
// locked issue, or an earlier SpendLocked): of what its model has released by TipHeight
// (asset.Unlock), quantity goes to to and the rest back to the lock's address; what is still
// locked is locked again at that address under the advanced model, naming the spent
// outpoint. The result passes asset.CheckSpend, the chain's rule for it.
func (b *Builder) SpendLocked(locked Coin, to mvs.Address, quantity uint64) (*Unsigned, error) {
	if err := b.readyTo(to); err != nil {
		return nil, err
	}
	param, _, ok := script.AttenuationParams(locked.Script)
	if !ok {
		return nil, fmt.Errorf("%w: the coin is not attenuation-locked", ErrBuild)
	}
	var symbol string
	switch p := locked.Attachment.Payload.(type) {
	case *tx.AssetTransfer:
		symbol = p.Symbol
	case *tx.AssetDetail:
		symbol = p.Symbol
	default:
		return nil, fmt.Errorf("%w: the locked coin carries no asset", ErrBuild)
	}
	owner, ok := script.Script(locked.Script).Address(b.Params)
	if !ok || locked.Height == 0 || locked.Height > b.TipHeight {
		return nil, fmt.Errorf("%w: the locked coin needs its address and a confirmed height at or below the tip", ErrBuild)
	}
	total := asset.AssetAmount(&tx.Output{Attachment: locked.Attachment})
	free, next := asset.Unlock(total, uint64(b.TipHeight-locked.Height), param)
	if quantity == 0 || quantity > free {
		e := &InsufficientFundsError{Symbol: symbol, Need: quantity, Spendable: free}
		if total > free {
			e.LeftOut = []LeftOut{{Reason: ReasonAttenuationLock, Coins: 1, Amount: total - free}}
		}
		return nil, fmt.Errorf("%w: %w", ErrBuild, e)
	}
	outs := []tx.Output{output(to, 0, assetTransfer(symbol, quantity))}
	if next != nil {
		relock, err := script.Attenuation(owner.Hash, string(next), script.OutPoint{Hash: locked.OutPoint.Hash, Index: locked.OutPoint.Index})
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBuild, err)
		}
		outs = append(outs, tx.Output{Script: relock, Attachment: assetTransfer(symbol, total-free)})
	}
	var extra []tx.Output
	if free > quantity {
		extra = append(extra, output(owner, 0, assetTransfer(symbol, free-quantity)))
	}
	u, err := b.assemble([]Coin{locked}, outs, b.fee(), extra, sealOpts{})
	if err != nil {
		return nil, err
	}
	in := []asset.LockedInput{{OutPoint: locked.OutPoint, Output: tx.Output{Value: locked.Value, Script: locked.Script, Attachment: locked.Attachment}, Height: uint64(locked.Height)}}
	if err := asset.CheckSpend(u.Tx, in, uint64(b.TipHeight)); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBuild, err)
	}
	return u, nil
}

// newLock is the attenuation script of a new lock of amount at to: the model expanded as
// the node's wallet does, then checked as the chain checks a new lock and every lock's
// param (an inflation model can expand to a zero period, which the chain refuses), and the
// null outpoint. Locks exist from SuperNova on.
func (b *Builder) newLock(to mvs.Address, modelParam string, amount uint64) ([]byte, error) {
	if b.txVersion() < tx.VersionNova {
		return nil, fmt.Errorf("%w: attenuation locks need SuperNova (height %d)", ErrBuild, b.Params.NovaHeight)
	}
	if to.Kind != mvs.PubKeyHash {
		return nil, fmt.Errorf("%w: attenuation locks pay to a P2PKH address, not %s", ErrBuild, to)
	}
	param, err := asset.ExpandModel(modelParam, amount)
	if err == nil {
		err = asset.CheckNewModel([]byte(param), amount)
	}
	if err == nil {
		err = asset.ValidateModel([]byte(param), amount)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBuild, err)
	}
	lock, err := script.Attenuation(to.Hash, param, script.NullOutPoint())
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBuild, err)
	}
	return lock, nil
}
