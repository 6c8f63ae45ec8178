package script

import (
	"strings"
)

// Attenuation model types (the TYPE key).
const (
	ModelNone           = 0
	ModelFixedQuantity  = 1
	ModelCustom         = 2
	ModelFixedInflation = 3
)

// IsValidModelParam is attenuation_model::check_model_param_format, the test
// OP_CHECKATTENUATIONVERIFY applies to its model operand: the param parses and its model type
// is not none.
func IsValidModelParam(param []byte) bool {
	t, ok := ModelParamType(param)
	return ok && t != ModelNone
}

// ModelParam is a parsed attenuation model param: the keys the node reads, unset ones 0 or
// empty (PN current period, LH blocks left in it, LQ locked quantity, LP lock period, UN
// number of periods, IR inflation rate, UC and UQ per-period lengths and quantities).
// Package asset gives them their economic meaning.
type ModelParam struct {
	Type                   int
	PN, LH, LQ, LP, UN, IR uint64
	UC, UQ                 []uint64
}

// ModelParamType parses a model param and returns its model type (see ParseModelParam).
func ModelParamType(param []byte) (modelType int, ok bool) {
	m, ok := ParseModelParam(param)
	return m.Type, ok
}

// ParseModelParam parses a model param the way the node's attenuation_model::impl does
// (attenuation_model.cpp parse_param, not in its wallet-side "initial" mode). ok is false
// when the parse fails; a param that parses but names no model has Type ModelNone. The
// rules, replicated with their quirks:
//
//   - only [A-Za-z0-9,;=]; ",," is forbidden;
//   - split on ';' with runs of ';' merged: at least 6 entries, the first starting "PN=",
//     the second "LH=";
//   - each entry splits on '=' (runs merged) into exactly key and value; an empty key fails,
//     an empty value leaves the key unset; a repeated key fails;
//   - a value is a decimal number parsed like std::stoull (leading digits, at least one,
//     value < 2^64); UC and UQ take comma-separated lists;
//   - TYPE is read as uint8 (so 257 is 1); types ≥ 4 are none; for types 1–3 the set keys
//     must be exactly PN,LH,TYPE,LQ,LP,UN (+UC,UQ for 2; +IR,UC,UQ for 3).
func ParseModelParam(param []byte) (m ModelParam, ok bool) { return parseModelParam(param, false) }

// ParseInitialModelParam parses in the node wallet's "initial" mode, used when a lock is
// created: a fixed-inflation model (TYPE=3) then takes IR without UC and UQ, which the
// wallet computes from it.
func ParseInitialModelParam(param []byte) (ModelParam, bool) { return parseModelParam(param, true) }

func parseModelParam(param []byte, initial bool) (m ModelParam, ok bool) {
	if len(param) == 0 {
		return m, true
	}
	if len(param) > 0xffff {
		return ModelParam{}, false // a script push cannot carry more; bounds the work
	}
	for _, c := range param {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == ',' || c == ';' || c == '=') {
			return ModelParam{}, false
		}
	}
	s := string(param)
	if strings.Contains(s, ",,") {
		return ModelParam{}, false
	}
	kvs := splitCompress(s, ';')
	if len(kvs) < 6 || !strings.HasPrefix(kvs[0], "PN=") || !strings.HasPrefix(kvs[1], "LH=") {
		return ModelParam{}, false
	}
	// The keys of a valid model are few and fixed; track which are set in a bitmask and
	// count every other set key, so no map is needed.
	const (
		kPN = 1 << iota
		kLH
		kTYPE
		kLQ
		kLP
		kUN
		kIR
		kUC
		kUQ
	)
	var set, other int
	var seenOther []string
	var typ uint64
	for _, kv := range kvs {
		parts := splitCompress(kv, '=')
		if len(parts) != 2 || parts[0] == "" {
			return ModelParam{}, false
		}
		key, val := parts[0], parts[1]
		bit := 0
		switch key {
		case "PN":
			bit = kPN
		case "LH":
			bit = kLH
		case "TYPE":
			bit = kTYPE
		case "LQ":
			bit = kLQ
		case "LP":
			bit = kLP
		case "UN":
			bit = kUN
		case "IR":
			bit = kIR
		case "UC":
			bit = kUC
		case "UQ":
			bit = kUQ
		}
		if bit != 0 && set&bit != 0 {
			return ModelParam{}, false
		}
		if bit == 0 {
			for _, k := range seenOther {
				if k == key {
					return ModelParam{}, false
				}
			}
		}
		if val == "" {
			continue // an empty value leaves the key unset
		}
		var first uint64
		if key == "UC" || key == "UQ" {
			items := splitCompress(val, ',')
			list := make([]uint64, 0, len(items))
			for _, item := range items {
				n, ok := stoull(item)
				if !ok {
					return ModelParam{}, false
				}
				list = append(list, n)
			}
			first = list[0]
			if key == "UC" {
				m.UC = list
			} else {
				m.UQ = list
			}
		} else {
			n, ok := stoull(val)
			if !ok || strings.IndexByte(val, ',') >= 0 { // parse_uint64 wants all alphanumerics
				return ModelParam{}, false
			}
			first = n
		}
		if bit == 0 {
			seenOther = append(seenOther, key)
			other++
		} else {
			set |= bit
		}
		switch bit {
		case kTYPE:
			typ = first
		case kPN:
			m.PN = first
		case kLH:
			m.LH = first
		case kLQ:
			m.LQ = first
		case kLP:
			m.LP = first
		case kUN:
			m.UN = first
		case kIR:
			m.IR = first
		}
	}
	t := int(uint8(typ)) // getnumber<uint8_t>("TYPE")
	var want int
	switch t {
	case ModelFixedQuantity:
		want = kPN | kLH | kTYPE | kLQ | kLP | kUN
	case ModelCustom:
		want = kPN | kLH | kTYPE | kLQ | kLP | kUN | kUC | kUQ
	case ModelFixedInflation:
		want = kPN | kLH | kTYPE | kLQ | kLP | kUN | kIR | kUC | kUQ
		if initial {
			want = kPN | kLH | kTYPE | kLQ | kLP | kUN | kIR
		}
	default:
		return m, true // none: parses (its numbers readable, as the node's are), but is no model
	}
	if set != want || other != 0 {
		return ModelParam{}, false
	}
	m.Type = t
	return m, true
}

// splitCompress is boost::split with token_compress_on on one delimiter: runs of sep count
// as one, and a leading or trailing sep yields an empty first or last field.
func splitCompress(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] != sep {
			continue
		}
		out = append(out, s[start:i])
		for i+1 < len(s) && s[i+1] == sep {
			i++
		}
		start = i + 1
	}
	return append(out, s[start:])
}

// stoull is std::stoull on an alphanumeric string: the leading decimal digits (at least one)
// must form a value below 2^64; anything after them is ignored.
func stoull(s string) (uint64, bool) {
	var n uint64
	i := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := uint64(s[i] - '0')
		if n > (1<<64-1-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, i > 0
}
