// Package script parses, prints, classifies, builds and executes MVS scripts.
//
// Use: Classify an output script (P2PKH, P2SH, deposit, sequence lock, attenuation lock,
// blackhole, null data, multisig), Address to read whom it pays (mind the locked-output trap
// described there), ASM and ParseASM for text, PayToAddress, Multisig, LockHeightDeposit,
// SequenceLock and Attenuation to build, and Verify to run a scriptSig against a
// scriptPubKey with the consensus flags (package tx supplies the Checker).
//
// # Layering
//
// Package tx imports this package (standardness, the JSON form's ASM and addresses), so this
// package does not import tx. The interpreter therefore sees the transaction only through the
// Checker interface, as Bitcoin Core's BaseSignatureChecker does: tx implements CheckSig (it
// computes the signature hash, which serializes a whole transaction with its attachments, and
// calls VerifySignature), CheckLockTime and CheckSequence (normally one line each, calling
// the pure functions CheckLockTime and CheckSequence of this package).
//
// # Representation
//
// A Script is its bytes. Parsing (Tokenize, Ops, Parse) keeps every push opcode as written;
// nothing is minimalized, as the node enforces no minimality (MINIMALDATA is not a consensus
// flag). A script whose last push runs past its end does not parse; it is still a Script and
// re-serializes verbatim, as the node keeps such output scripts as one raw_data blob.
// Builders push data the way the node's data_to_opcode does (PushOpcode): direct below 76
// bytes, PUSHDATA1 below 255, PUSHDATA2 below 65535 — so 255 bytes take PUSHDATA2.
//
// # ASM
//
// The text form is the reference node's (chain::script::to_string in
// src/lib/bitcoin/chain/script/script.cpp, operation.cpp and opcode.cpp of mvs-org/metaverse;
// libbitcoin-style, as the node's RPC shows output and input "script" fields). Operations are
// separated by one space. A push with data is "[ <lower-case hex> ]", whatever its opcode. Any
// other operation is its lower-case name without "OP_": "zero" for OP_0, "-1" and "1".."16"
// for the small numbers, "dup", "hash160", "equalverify", "checksig", "checklocktimeverify",
// "checkattenuationverify", "checksequenceverify", "nop1", "nop5".."nop10", "pushdata1" (etc.)
// for a zero-length PUSHDATAn, "raw_data" for byte 0xbb (where the node's enum puts raw_data)
// and "<none N>" for the other unnamed bytes. A P2PKH script prints as
//
//	dup hash160 [ 89abcdefabbaabbaabbaabbaabbaabbaabbaabba ] equalverify checksig
//
// The node's text loses two things, so ASM (and String) extend it there, and only there, to
// round-trip every script byte for byte (NodeASM returns the node's exact text):
//
//   - a push whose opcode is not the node's choice for its size is "[ 1.<hex> ]",
//     "[ 2.<hex> ]" or "[ 4.<hex> ]" (PUSHDATA1/2/4; the libbitcoin v3 marker style);
//   - a script that does not parse is "[ raw.<hex> ]" (the node prints "[ <hex> ]").
//
// ParseASM reads that text and the node's (from_string), and for convenience also
// upper-case and "OP_"-prefixed names.
//
// # Patterns and addresses
//
// Classify is the node's script::pattern(), including its quirk that input shapes (sign_*)
// are tested too, so that IsStandardOutput — the node's rule for outputs of version ≥ 2
// transactions — accepts for example a single push. The MVS patterns are the lock-height
// deposit, the sequence lock, the attenuation lock (its model must be pushed with PUSHDATA2;
// a direct push is not the pattern) and the bare OP_RETURN blackhole. Script.Address is the
// node's payment_address::extract.
//
// # Interpreter
//
// Verify is the node's consensus path, a clone of Bitcoin Core's interpreter (0.12 era) run
// with ConsensusFlags: P2SH, DERSIG (strict DER; an empty signature is allowed and simply
// fails), CHECKLOCKTIMEVERIFY, CHECKSEQUENCEVERIFY with MVS's 20-bit mask (bit 22 selects
// time, in 32-second units; bit 31 disables; tx version ≥ 2) and OP_CHECKATTENUATIONVERIFY,
// which needs two items, requires the second from the top to be a valid attenuation model
// param (IsValidModelParam) and pops both. CLTV and CSV leave their operand on the stack.
// LOW_S, STRICTENC, NULLDUMMY, MINIMALDATA, CLEANSTACK and SIGPUSHONLY are available but not
// consensus; high-S signatures verify (VerifySignature normalizes S).
package script
