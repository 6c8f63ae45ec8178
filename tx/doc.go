// Package tx is the MVS transaction: Bitcoin's layout (no witness) with an attachment after
// every output's script.
//
// Use: Decode raw bytes (from a node, a block, a file) into a *Tx; read its Inputs, Outputs
// and each output's Attachment (ETP, an asset transfer or issue, a certificate, an MIT, a
// DID, a message); Hash gives the txid and Bytes the wire form. ToJSON and FromJSON are a
// readable form that encodes back to the same bytes, FromNodeJSON reads what the reference
// node prints. CheckSanity applies the node's context-free rules, SignatureHash, SignInput
// and VerifyInput sign and check inputs. Decoding failures are *DecodeError (field and byte
// offset) wrapping ErrTruncated, ErrTooLarge, ErrTrailing or a payload error.
//
// The layout:
//
//	tx     = u32 version | varint n | input* | varint n | output* | u32 lock_time
//	input  = prev hash (32, internal order) | u32 index | varstr script | u32 sequence
//	output = u64 value | varstr script | attachment
//	attachment = u32 version | u32 type | [version 207: varstr to_did | varstr from_did] | payload
//
// Every payload is a typed struct: AssetDetail (issue and secondary issue), AssetTransfer,
// Message, DID, AssetCert (with content when bit 30 of its type is set), MIT, ETPAward
// (decoded for fidelity, never built), and the payload-less ETP and coinstake null types.
// Unknown types carry no payload and parse, as in the reference node.
//
// Decode copies its input once and slices every script from that copy, so a decoded
// transaction costs a handful of allocations whatever its size; Hash re-serializes into a
// stack buffer. Like the node, Hash covers the re-serialization of the parsed value: the
// node reads attachment strings only up to a NUL byte, and so does Decode; and it writes a
// parsed script back without its 0xbb (libbitcoin raw_data) opcodes, and so do the encoder,
// Hash, SignatureHash and VerifyInput (script.NodeForm). For every transaction the node
// itself wrote, decoding and encoding give back the same bytes.
//
// CheckSanity applies the node's context-free rules; rules that need the chain (symbols,
// certificates, maturity, locks) live in the packages above. ToJSON/FromJSON give a form a
// person can read (ASM scripts, addresses, symbols, display-order hashes) that encodes back
// to the same bytes.
//
// Layering: tx imports tx/script (standardness, ASM, addresses), so the script interpreter
// reaches a transaction through script.Checker, which this package implements together
// with the signature hash; see sighash.go.
package tx
