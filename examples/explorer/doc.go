// Command explorer is a block explorer for an MVS chain: a web UI over a node's JSON-RPC
// and WebSocket push, built on the SDK's rpcclient, tx, asset and mvs packages.
//
// Run it against a private chain it starts itself (one command, nothing else to install
// but Go):
//
//	cd examples/explorer && go run . --demo
//
// or against a node you run (the SDK's mvsgod or the reference mvsd):
//
//	go run . --node http://127.0.0.1:8820 --listen 127.0.0.1:8830
//	go run . --node http://127.0.0.1:8820 --push ws://127.0.0.1:8821 --network mainnet   # mvsd
//
// The index it builds (asset holders, chart figures) is kept in --data-dir (default: the
// user's cache directory, mvs-explorer/<network>), so that a restart resumes where it
// stopped; the directory can be deleted at any time and is rebuilt from the node.
//
// Pages: the latest blocks, updating live; a block; a transaction with its inputs and
// outputs, attachments rendered (asset amounts with the asset's decimals, DIDs by name,
// messages, proofs of existence, certificates, MIT) and locks with what they release and
// when (deposits; attenuation models walked with asset.Unlock, the node's arithmetic); an
// address (ETP and asset balances, locked parts, paged history); an asset (supply, issuer,
// certificates, holders); a DID (address and history); an MIT; charts of difficulty, block
// interval and transactions per block; proofs of existence (package proof): a message
// that commits to a file's SHA-256 is shown as such, /proof/make downloads its proof, and
// /proof checks an uploaded proof against the file (hashed, not kept) or its digest and
// against the node's header at the proof's height; /login signs a visitor in with a DID
// (a challenge signed with the key of the DID's current address, checked through the
// node's getdid; did.Logins refuses replays). The search box takes a height, a block hash, a
// txid, an address, or an asset, DID, MIT or certificate symbol ("asset:", "did:",
// "mit:" or "cert:" to pick one namespace; a bare name finds a certificate when nothing
// else has it); several matches are listed, none is a 404 that says what was not found.
//
// Design: pages are rendered on the server with html/template; the CSS, the one small
// script (the live list) and the templates are embedded in the binary and served by it,
// under a Content-Security-Policy that allows nothing from elsewhere. Charts are SVG
// drawn on the server. The live list is a Server-Sent Events stream fed by the explorer's
// own push subscription to the node (rpcclient.Subscribe), through an Index that follows
// the chain from genesis: it holds the latest blocks' figures and the asset holders (no
// RPC method lists them), undoes blocks on a reorganization (200 deep, from undo data kept
// in its file; deeper rebuilds, saying so), and catches up over serialized blocks (16 in
// flight) after any push gap. OpenIndex keeps it in a bbolt file, committed every 512
// blocks of a catch-up and after each pushed block, each commit atomic: a crash loses
// only what the next start reads again. A file of another chain (ErrOtherChain), format
// (ErrIndexFormat) or damaged (ErrIndexCorrupt) is refused, not overwritten. Until it has
// caught up, the pages say so.
//
// Safety: it listens on 127.0.0.1 by default and refuses another address without --user
// (password in $EXPLORER_PASSWORD), checked in constant time. Every node call of a page
// has a deadline; a missing thing is a 404 naming it, a node failure a 502 saying so,
// and no input makes a 500 (FuzzParseQuery, TestBadInputNever500).
package main
