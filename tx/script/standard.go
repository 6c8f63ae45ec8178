package script

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"

	"github.com/mvsgo/mvs"
)

// Class is a script pattern, the node's script_pattern enum (script.cpp pattern()).
type Class uint8

const (
	NonStandard Class = iota
	// NullData: OP_RETURN and one direct push of at most 80 bytes.
	NullData
	// PayMultisig: OP_m <pubkey>… OP_n OP_CHECKMULTISIG, 1 ≤ m ≤ n ≤ 16.
	PayMultisig
	// PayPublicKey: <pubkey> OP_CHECKSIG.
	PayPublicKey
	// PayKeyHash: P2PKH.
	PayKeyHash
	// PayKeyHashWithLockHeight: the deposit, <lock height> OP_NUMEQUALVERIFY + P2PKH.
	PayKeyHashWithLockHeight
	// PayScriptHash: P2SH.
	PayScriptHash
	// SignMultisig: OP_0 then direct pushes then any push (a multisig scriptSig).
	SignMultisig
	// SignPublicKey: a single push.
	SignPublicKey
	// SignKeyHash: two pushes, the second a public key (a P2PKH scriptSig).
	SignKeyHash
	// SignKeyHashWithLockHeight: three pushes, the second a public key (a deposit scriptSig).
	SignKeyHashWithLockHeight
	// SignScriptHash: pushes whose last is a standard pay script (a P2SH scriptSig).
	SignScriptHash
	// PayBlackhole: a bare OP_RETURN (burn address 1111111111111111111114oLvT2).
	PayBlackhole
	// PayKeyHashWithAttenuationModel: PUSHDATA2 <model> <outpoint> OP_CHECKATTENUATIONVERIFY + P2PKH.
	PayKeyHashWithAttenuationModel
	// PayKeyHashWithSequenceLock: <sequence> OP_CHECKSEQUENCEVERIFY OP_DROP + P2PKH.
	PayKeyHashWithSequenceLock
)

// String returns the node's name of the pattern.
func (c Class) String() string {
	switch c {
	case NonStandard:
		return "non_standard"
	case NullData:
		return "null_data"
	case PayMultisig:
		return "pay_multisig"
	case PayPublicKey:
		return "pay_public_key"
	case PayKeyHash:
		return "pay_key_hash"
	case PayKeyHashWithLockHeight:
		return "pay_key_hash_with_lock_height"
	case PayScriptHash:
		return "pay_script_hash"
	case SignMultisig:
		return "sign_multisig"
	case SignPublicKey:
		return "sign_public_key"
	case SignKeyHash:
		return "sign_key_hash"
	case SignKeyHashWithLockHeight:
		return "sign_key_hash_with_lock_height"
	case SignScriptHash:
		return "sign_script_hash"
	case PayBlackhole:
		return "pay_blackhole_address"
	case PayKeyHashWithAttenuationModel:
		return "pay_key_hash_with_attenuation_model"
	case PayKeyHashWithSequenceLock:
		return "pay_key_hash_with_sequence_lock"
	}
	return fmt.Sprintf("Class(%d)", uint8(c))
}

// MarshalText implements encoding.TextMarshaler with the node's name.
func (c Class) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// MaxNullDataSize is the node's max_null_data_size. The null-data pattern also requires a
// direct push, so only 75 bytes are usable in practice.
const MaxNullDataSize = 80

// IsPublicKey is libbitcoin's is_public_key: 33 bytes starting 02/03 or 65 starting 04.
func IsPublicKey(b []byte) bool {
	switch len(b) {
	case 33:
		return b[0] == 2 || b[0] == 3
	case 65:
		return b[0] == 4
	}
	return false
}

// Classify returns the script's pattern exactly as the node's script::pattern() does, in its
// order: the pay patterns, then the sign_* (input) shapes, then blackhole, attenuation and
// sequence lock. A script that does not parse is NonStandard.
func Classify(s Script) Class {
	var buf [24]Op
	ops, ok := s.opsInto(buf[:0])
	if !ok {
		return NonStandard
	}
	return classifyOps(ops)
}

// Class returns Classify(s).
func (s Script) Class() Class { return Classify(s) }

// IsStandardOutput reports whether the node accepts s as an output script of a tx with
// version ≥ 2: pattern() != non_standard. Because pattern() also matches input shapes, a
// single push or a push-only script of a sign_* shape counts as standard (a node quirk).
func IsStandardOutput(s Script) bool { return Classify(s) != NonStandard }

func classifyOps(ops []Op) Class {
	switch {
	case isNullData(ops):
		return NullData
	case isPayMultisig(ops):
		return PayMultisig
	case isPayPublicKey(ops):
		return PayPublicKey
	case len(ops) == 5 && isP2PKHTail(ops):
		return PayKeyHash
	case len(ops) == 7 && isDirect(ops[0]) && ops[1].Opcode == OP_NUMEQUALVERIFY && isP2PKHTail(ops[2:]):
		return PayKeyHashWithLockHeight
	case isPayScriptHash(ops):
		return PayScriptHash
	case isSignMultisig(ops):
		return SignMultisig
	case len(ops) == 1 && pushOnly(ops):
		return SignPublicKey
	case len(ops) == 2 && pushOnly(ops) && IsPublicKey(ops[1].Data):
		return SignKeyHash
	case len(ops) == 3 && pushOnly(ops) && IsPublicKey(ops[1].Data):
		return SignKeyHashWithLockHeight
	case isSignScriptHash(ops):
		return SignScriptHash
	case len(ops) == 1 && ops[0].Opcode == OP_RETURN:
		return PayBlackhole
	case len(ops) == 8 && ops[0].Opcode == OP_PUSHDATA2 && isDirect(ops[1]) &&
		ops[2].Opcode == OP_CHECKATTENUATIONVERIFY && isP2PKHTail(ops[3:]):
		return PayKeyHashWithAttenuationModel
	case len(ops) == 8 && isDirect(ops[0]) && ops[1].Opcode == OP_CHECKSEQUENCEVERIFY &&
		ops[2].Opcode == OP_DROP && isP2PKHTail(ops[3:]):
		return PayKeyHashWithSequenceLock
	}
	return NonStandard
}

// isDirect is the node's opcode::special: a direct push of 1..75 bytes.
func isDirect(o Op) bool { return o.Opcode >= OP_DATA_1 && o.Opcode <= OP_DATA_75 }

func pushOnly(ops []Op) bool {
	for _, o := range ops {
		if !o.Opcode.IsPush() {
			return false
		}
	}
	return true
}

// isP2PKHTail matches exactly the five operations dup hash160 [20] equalverify checksig.
func isP2PKHTail(ops []Op) bool {
	return len(ops) == 5 && ops[0].Opcode == OP_DUP && ops[1].Opcode == OP_HASH160 &&
		isDirect(ops[2]) && len(ops[2].Data) == 20 && ops[3].Opcode == OP_EQUALVERIFY &&
		ops[4].Opcode == OP_CHECKSIG
}

func isNullData(ops []Op) bool {
	return len(ops) == 2 && ops[0].Opcode == OP_RETURN && isDirect(ops[1]) && len(ops[1].Data) <= MaxNullDataSize
}

func isPayMultisig(ops []Op) bool {
	n := len(ops)
	if n < 4 || ops[n-1].Opcode != OP_CHECKMULTISIG {
		return false
	}
	opM, opN := ops[0].Opcode, ops[n-2].Opcode
	if opM < OP_1 || opM > opN || opN < OP_1 || opN > OP_16 {
		return false
	}
	if int(opN-OP_1)+1 != n-3 {
		return false
	}
	for _, o := range ops[1 : n-2] {
		if !IsPublicKey(o.Data) {
			return false
		}
	}
	return true
}

func isPayPublicKey(ops []Op) bool {
	return len(ops) == 2 && isDirect(ops[0]) && IsPublicKey(ops[0].Data) && ops[1].Opcode == OP_CHECKSIG
}

func isPayScriptHash(ops []Op) bool {
	return len(ops) == 3 && ops[0].Opcode == OP_HASH160 && isDirect(ops[1]) && len(ops[1].Data) == 20 &&
		ops[2].Opcode == OP_EQUAL
}

func isSignMultisig(ops []Op) bool {
	if len(ops) < 2 || !pushOnly(ops) || ops[0].Opcode != OP_0 {
		return false
	}
	for _, o := range ops[1 : len(ops)-1] {
		if !isDirect(o) {
			return false
		}
	}
	return true
}

// isSignScriptHash: push-only, and the last push parses as one of the standard pay patterns
// the node lists. Those patterns precede every sign_* pattern in pattern()'s order, so
// testing them directly gives the node's answer without recursion.
func isSignScriptHash(ops []Op) bool {
	if len(ops) < 2 || !pushOnly(ops) {
		return false
	}
	redeem := ops[len(ops)-1].Data
	if len(redeem) == 0 {
		return false
	}
	var buf [24]Op
	rops, ok := Script(redeem).opsInto(buf[:0])
	if !ok {
		return false
	}
	return isPayMultisig(rops) || isPayPublicKey(rops) || (len(rops) == 5 && isP2PKHTail(rops)) ||
		isPayScriptHash(rops) || isNullData(rops)
}

// Address returns the address the node shows for the script (payment_address::extract):
// P2PKH for pay_key_hash, pay_public_key and the P2PKH tail of deposit, attenuation and
// sequence-lock scripts; P2SH for pay_script_hash; the blackhole address for a bare
// OP_RETURN. For input scripts: the signer's P2PKH for sign_key_hash(+lock height), the P2SH
// of the redeem script for sign_script_hash and for a sign_multisig whose last push is a
// multisig script. Bare multisig, null data and non-standard scripts have none.
//
// The trap for anyone crediting deposits: Address names the owner of a locked output too (a
// lock-height deposit, a sequence lock, an attenuation-locked asset), although that money
// cannot be spent until the lock ends, and the burn address of an unspendable one; and an
// output script shaped like an input script (sign_key_hash, sign_public_key) names an
// owner although anyone can spend it. "Credit every output whose Address is mine" credits
// money that is not yet, never, or not only yours.
// Classify the script first, or use wallet.DepositScanner, which reports each credit with its
// lock and the height it ends at.
func (s Script) Address(p *mvs.Params) (mvs.Address, bool) {
	var buf [24]Op
	ops, ok := s.opsInto(buf[:0])
	if !ok {
		return mvs.Address{}, false
	}
	switch classifyOps(ops) {
	case PayPublicKey:
		return mvs.NewPubKeyAddress(ops[0].Data, p), true
	case PayKeyHash:
		return mvs.NewPubKeyHashAddress([20]byte(ops[2].Data), p), true
	case PayKeyHashWithLockHeight:
		return mvs.NewPubKeyHashAddress([20]byte(ops[4].Data), p), true
	case PayScriptHash:
		return mvs.NewScriptHashAddress([20]byte(ops[1].Data), p), true
	case PayBlackhole:
		return mvs.Address{Kind: mvs.Blackhole}, true
	case PayKeyHashWithAttenuationModel, PayKeyHashWithSequenceLock:
		return mvs.NewPubKeyHashAddress([20]byte(ops[5].Data), p), true
	case SignMultisig:
		redeem := ops[len(ops)-1].Data
		var rbuf [24]Op
		rops, ok := Script(redeem).opsInto(rbuf[:0])
		if len(redeem) == 0 || !ok || !isPayMultisig(rops) {
			return mvs.Address{}, false
		}
		return mvs.NewScriptHashAddress(mvs.Hash160(redeem), p), true
	case SignKeyHash, SignKeyHashWithLockHeight:
		return mvs.NewPubKeyAddress(ops[1].Data, p), true
	case SignScriptHash:
		return mvs.NewScriptHashAddress(mvs.Hash160(ops[len(ops)-1].Data), p), true
	}
	return mvs.Address{}, false
}

// IsPayToScriptHash reports the exact P2SH byte pattern a9 14 <20> 87 that triggers the
// P2SH rule in the interpreter.
func (s Script) IsPayToScriptHash() bool {
	return len(s) == 23 && s[0] == byte(OP_HASH160) && s[1] == 20 && s[22] == byte(OP_EQUAL)
}

// ---- builders ----

// OutPoint is a previous output as the attenuation script carries it: the tx hash in
// internal byte order and the output index.
type OutPoint struct {
	Hash  mvs.Hash
	Index uint32
}

// NullOutPoint is the outpoint of a newly created attenuation lock: zero hash, index
// 0xffffffff.
func NullOutPoint() OutPoint { return OutPoint{Index: 0xffffffff} }

// IsNull reports whether o is NullOutPoint().
func (o OutPoint) IsNull() bool { return o.Hash.IsZero() && o.Index == 0xffffffff }

// Bytes returns the 36-byte serialization: hash then u32LE index.
func (o OutPoint) Bytes() []byte {
	b := make([]byte, 36)
	copy(b, o.Hash[:])
	binary.LittleEndian.PutUint32(b[32:], o.Index)
	return b
}

func p2pkhTail(b *Builder, h [20]byte) *Builder {
	return b.AddOp(OP_DUP).AddOp(OP_HASH160).AddData(h[:]).AddOp(OP_EQUALVERIFY).AddOp(OP_CHECKSIG)
}

// PayToPubKeyHash returns 76 a9 14 <h> 88 ac.
func PayToPubKeyHash(h [20]byte) Script { return p2pkhTail(NewBuilder(), h).mustScript() }

// PayToScriptHash returns a9 14 <h> 87.
func PayToScriptHash(h [20]byte) Script {
	return NewBuilder().AddOp(OP_HASH160).AddData(h[:]).AddOp(OP_EQUAL).mustScript()
}

// PayToPubKey returns <pubKey> OP_CHECKSIG.
func PayToPubKey(pubKey []byte) (Script, error) {
	if !IsPublicKey(pubKey) {
		return nil, newError(ErrBuild, -1, 0, "not a 33- or 65-byte public key")
	}
	return NewBuilder().AddData(pubKey).AddOp(OP_CHECKSIG).Script()
}

// PayToAddress returns the output script that pays a: P2PKH, P2SH, or a bare OP_RETURN for
// the blackhole address. It returns nil for the zero Address.
func PayToAddress(a mvs.Address) Script {
	switch a.Kind {
	case mvs.PubKeyHash:
		return PayToPubKeyHash(a.Hash)
	case mvs.ScriptHash:
		return PayToScriptHash(a.Hash)
	case mvs.Blackhole:
		return Blackhole()
	}
	return nil
}

// Blackhole returns the burn script: a single OP_RETURN.
func Blackhole() Script { return Script{byte(OP_RETURN)} }

// NullDataScript returns OP_RETURN <data>. The node's pattern needs a direct push, so data is
// limited to 75 bytes (the 80 of max_null_data_size cannot be encoded as a direct push).
func NullDataScript(data []byte) (Script, error) {
	if len(data) > int(OP_DATA_75) {
		return nil, newErrorf(ErrBuild, -1, 0, "null data is %d bytes, limit 75", len(data))
	}
	return NewBuilder().AddOp(OP_RETURN).AddData(data).Script()
}

// MaxMultisigKeys is the most keys OP_n can express in a standard multisig script.
const MaxMultisigKeys = 16

// Multisig returns OP_m <keys…> OP_n OP_CHECKMULTISIG with the keys in the given order.
func Multisig(m int, pubKeys [][]byte) (Script, error) {
	n := len(pubKeys)
	if n < 1 || n > MaxMultisigKeys || m < 1 || m > n {
		return nil, newErrorf(ErrBuild, -1, 0, "multisig %d-of-%d: need 1 ≤ m ≤ n ≤ %d", m, n, MaxMultisigKeys)
	}
	b := NewBuilder().AddOp(OP_1 + Opcode(m-1))
	for i, k := range pubKeys {
		if !IsPublicKey(k) {
			return nil, newErrorf(ErrBuild, -1, 0, "multisig key %d is not a public key", i)
		}
		b.AddData(k)
	}
	return b.AddOp(OP_1 + Opcode(n-1)).AddOp(OP_CHECKMULTISIG).Script()
}

// MultisigRedeemScript returns the node's multisig redeem script: the keys sorted
// lexicographically by their hex (equivalently by bytes), then Multisig. The P2SH address is
// mvs.NewScriptHashAddress(mvs.Hash160(script), p).
func MultisigRedeemScript(m int, pubKeys [][]byte) (Script, error) {
	sorted := make([][]byte, len(pubKeys))
	copy(sorted, pubKeys)
	sort.Slice(sorted, func(i, j int) bool { return bytes.Compare(sorted[i], sorted[j]) < 0 })
	return Multisig(m, sorted)
}

// MultisigKeys returns m and the keys of a PayMultisig script.
func MultisigKeys(s Script) (m int, pubKeys [][]byte, ok bool) {
	ops, err := s.Ops()
	if err != nil || !isPayMultisig(ops) {
		return 0, nil, false
	}
	for _, o := range ops[1 : len(ops)-2] {
		pubKeys = append(pubKeys, o.Data)
	}
	return ops[0].Opcode.SmallInt(), pubKeys, true
}

// LockHeightDeposit returns the deposit script <lockHeight> OP_NUMEQUALVERIFY + P2PKH(h),
// the lock height as a minimal script number in a direct push.
func LockHeightDeposit(h [20]byte, lockHeight uint32) Script {
	return p2pkhTail(NewBuilder().AddNum(int64(lockHeight)).AddOp(OP_NUMEQUALVERIFY), h).mustScript()
}

// SequenceLock returns <sequence> OP_CHECKSEQUENCEVERIFY OP_DROP + P2PKH(h).
func SequenceLock(h [20]byte, sequence uint32) Script {
	return p2pkhTail(NewBuilder().AddNum(int64(sequence)).AddOp(OP_CHECKSEQUENCEVERIFY).AddOp(OP_DROP), h).mustScript()
}

// Attenuation returns the locked-asset script: PUSHDATA2 <modelParam> <36-byte outpoint>
// OP_CHECKATTENUATIONVERIFY + P2PKH(h). The model is always pushed with PUSHDATA2, as the
// node's pattern requires. Use NullOutPoint for a new lock. The model must pass
// IsValidModelParam.
func Attenuation(h [20]byte, modelParam string, prev OutPoint) (Script, error) {
	if !IsValidModelParam([]byte(modelParam)) {
		return nil, newErrorf(ErrBuild, -1, 0, "invalid attenuation model param %q", modelParam)
	}
	b := NewBuilder().AddPush(OP_PUSHDATA2, []byte(modelParam)).AddData(prev.Bytes()).AddOp(OP_CHECKATTENUATIONVERIFY)
	return p2pkhTail(b, h).Script()
}

// AttenuationParams returns the model param and outpoint of a
// PayKeyHashWithAttenuationModel script, read as the node reads them
// (get_attenuation_model_param, point::factory_from_data): the pattern takes any direct
// push for the outpoint, whose first 36 bytes are the hash and index (more are ignored);
// a shorter push fails to parse and leaves the zero outpoint (zero hash, index 0), which is
// not the null outpoint of a new lock and names no output. ok is false for another pattern.
func AttenuationParams(s Script) (modelParam []byte, prev OutPoint, ok bool) {
	var buf [24]Op
	ops, parsed := s.opsInto(buf[:0])
	if !parsed || classifyOps(ops) != PayKeyHashWithAttenuationModel {
		return nil, OutPoint{}, false
	}
	if d := ops[1].Data; len(d) >= 36 {
		prev.Hash = mvs.Hash(d[:32])
		prev.Index = binary.LittleEndian.Uint32(d[32:36])
	}
	return ops[0].Data, prev, true
}

// DepositLockHeight returns the lock height of a PayKeyHashWithLockHeight script, decoded
// as the node does (a minimal script number of at most 4 bytes).
func DepositLockHeight(s Script) (int64, bool) {
	var buf [24]Op
	ops, parsed := s.opsInto(buf[:0])
	if !parsed || classifyOps(ops) != PayKeyHashWithLockHeight {
		return 0, false
	}
	n, err := ParseNum(ops[0].Data, DefaultNumLen, true)
	return n, err == nil
}

// SequenceLockValue returns the sequence of a PayKeyHashWithSequenceLock script (a minimal
// script number of at most 4 bytes, cast to u32 as the node does).
func SequenceLockValue(s Script) (uint32, bool) {
	var buf [24]Op
	ops, parsed := s.opsInto(buf[:0])
	if !parsed || classifyOps(ops) != PayKeyHashWithSequenceLock {
		return 0, false
	}
	n, err := ParseNum(ops[0].Data, DefaultNumLen, true)
	return uint32(n), err == nil
}

// SignatureScriptLockHeight returns the lock height pushed by a deposit spend
// (SignKeyHashWithLockHeight: <sig> <pubkey> <lock height>).
func SignatureScriptLockHeight(s Script) (int64, bool) {
	var buf [24]Op
	ops, parsed := s.opsInto(buf[:0])
	if !parsed || classifyOps(ops) != SignKeyHashWithLockHeight {
		return 0, false
	}
	n, err := ParseNum(ops[2].Data, DefaultNumLen, true)
	return n, err == nil
}
