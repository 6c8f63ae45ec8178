package stratum

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// maxParams bounds a request's parameters (no method of either protocol takes more than 3).
const maxParams = 8

// Request is one line a miner sends: a JSON-RPC request of eth-proxy
// (eth_submitLogin, eth_getWork, eth_submitWork, eth_submitHashrate) or of
// EthereumStratum/1.0.0 (mining.subscribe, mining.authorize, mining.submit,
// mining.extranonce.subscribe).
type Request struct {
	// ID is the request's id as sent (a number, a string or null), echoed in the reply.
	ID json.RawMessage
	// Method is the method name.
	Method string
	// Params are the parameters; both protocols send only strings.
	Params []string
	// Worker is eth-proxy's "worker" member (ethminer's rig name), if any.
	Worker string
}

// ParseRequest decodes a request line. Anything but a JSON object with a string method
// and string parameters (at most 8) is ErrMalformed; it never panics.
func ParseRequest(line []byte) (*Request, error) {
	var raw struct {
		ID     json.RawMessage `json:"id"`
		Method *string         `json:"method"`
		Params json.RawMessage `json:"params"`
		Worker string          `json:"worker"`
	}
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] != '{' {
		return nil, errorf(ErrMalformed, "not a JSON object")
	}
	if err := json.Unmarshal(line, &raw); err != nil {
		return nil, errorf(ErrMalformed, "%v", err)
	}
	if raw.Method == nil || *raw.Method == "" {
		return nil, errorf(ErrMalformed, "no method")
	}
	r := &Request{ID: raw.ID, Method: *raw.Method, Worker: raw.Worker}
	if len(r.ID) == 0 {
		r.ID = json.RawMessage("null")
	}
	if p := bytes.TrimSpace(raw.Params); len(p) > 0 && !bytes.Equal(p, []byte("null")) {
		var ps []json.RawMessage
		if err := json.Unmarshal(p, &ps); err != nil {
			return nil, errorf(ErrMalformed, "params is not an array")
		}
		if len(ps) > maxParams {
			return nil, errorf(ErrMalformed, "%d params", len(ps))
		}
		for _, e := range ps {
			var s string
			if err := json.Unmarshal(e, &s); err != nil {
				return nil, errorf(ErrMalformed, "a parameter is not a string")
			}
			r.Params = append(r.Params, s)
		}
	}
	return r, nil
}

// hex0x reads exactly n bytes of hex, with or without "0x".
func hex0x(s string, n int) ([]byte, bool) {
	s = strings.TrimPrefix(s, "0x")
	if len(s) != 2*n {
		return nil, false
	}
	b, err := hex.DecodeString(s)
	return b, err == nil
}

func hash32(s string) ([32]byte, bool) {
	var h [32]byte
	b, ok := hex0x(s, 32)
	copy(h[:], b)
	return h, ok
}

func nonce64(b []byte) uint64 {
	var n uint64
	for _, c := range b {
		n = n<<8 | uint64(c)
	}
	return n
}
