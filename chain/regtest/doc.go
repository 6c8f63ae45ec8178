// Package regtest is the research harness: one call creates a private RegTest chain, and a
// new rule is tested in a few lines, through the real chain, store, Ethash seals and wallet.
//
// Use, in a test:
//
//	func TestDIDSymbolOnce(t *testing.T) {
//		net := regtest.New(t)              // store in t.TempDir(), closed by t.Cleanup
//		net.Mine(3)                        // coinbases to net.Address(0)
//		alice, bob := net.Address(0), net.Address(1)
//		net.Mine(1, net.Build(net.Builder().RegisterDID(alice, "alice")))
//		net.Fund(bob, 2*mvs.SatoshiPerETP) // a payment, mined
//		_, err := net.Submit(net.Build(net.Builder().RegisterDID(bob, "alice")))
//		if !errors.Is(err, did.ErrSymbolExists) {
//			t.Fatalf("second registration: %v", err)
//		}
//	}
//
// New(t) opens a store.Store in t.TempDir() and a *chain.Chain over it with
// chain.NewStoreState and an *ethash.Verifier of ethash.SmallSizes; the blocks are sealed
// by the same Verifier's Search (RegTest's difficulty is 1, so the first nonce seals) and
// the chain checks every seal. The chain's clock is fixed, far ahead of the blocks (a block
// is 30 s after its parent), so nothing depends on the machine's clock; the account's seed
// is fixed too (WithSeed changes it), so a scenario mines the same blocks on every run.
// WithParams edits the parameters (a fork height, a maturity) and WithChainConfig the
// chain's configuration (caps, clock, AssumeValid) before the chain is made.
//
// Keys and coins: Account is a wallet.Account whose m/0 (Address(0)) receives every
// coinbase; Address(i) and Key(i) hand out m/i. Coins(addr) are an address's unspent
// outputs from the store's address index as proven wallet.Coin values (with the
// transaction that made them and their key origin). Builder() is a wallet.Builder at the
// tip with the coins of every address handed out, accepting coins of one confirmation
// (RegTest's coinbases mature after one block); Sign signs an Unsigned with the account,
// and Build(builder result) builds and signs in one call. Every transaction kind the
// wallet builds (sends, deposits, assets, certificates, MITs, DIDs, multisig) goes
// through the chain this way, as built (TestEveryKind).
//
// Blocks: Mine(n, txs...) mines n blocks on the tip, the first holding txs, each with a
// coinbase paying the subsidy and the fees (and, as the node's miner does, an interest
// coinbase for each deposit output); each must join the main chain or the test fails with
// the rule. Fund(addr, amount) pays an address from the account and mines the payment. Submit(txs...) mines one and returns the refusal instead: a
// *chain.RuleError, matched with errors.Is against the chain's rule (chain.ErrDIDRule) and
// the judging package's error (did.ErrSymbolExists). Process passes a block mined
// elsewhere (another Net's: two Nets make a two-node network). Tip, BlockAt, Height and
// Digest read the main chain; Store, State and Chain give the rest.
//
// Forks: Fork(height) is a Branch on the main chain's block at height; Branch.Mine(n)
// mines on it (side chain while it has no more work than the main chain), and the block
// that makes it heavier reorganises the chain, which unwinds the main chain's blocks and
// their registry records. Branch.Submit returns a branch block's refusal.
//
// Every method fails the test (t.Fatal) on anything but the outcome it reports; a Net is
// for one goroutine.
package regtest
