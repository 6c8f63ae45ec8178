package rpcclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
)

// Option is one "--Name Value" of a call; a nil Value is a bare "--Name" flag.
type Option struct {
	Name  string
	Value *string
}

// Params is the "params" array of a v2/v3 call as the reference reads it
// (node:src/mvsd/mgbubble/Mongoose.cpp): the members of the first JSON object become
// options, in name order, and every element that is not an object becomes a positional
// argument, in order. A server that must answer as mvsd does can decode requests with it
// and hand CommandLine to the same parser rules.
type Params struct {
	Options []Option
	Args    []string
}

// errParams is the reason a "params" array cannot be read; servers answer it with
// CodeJSONRPCInvalidParams.
var errParams = errors.New("params")

// jsonScalar converts a JSON scalar to the string the reference's JsonCpp asString gives:
// strings as they are, integers in decimal, booleans as true/false, null as "". A
// fraction or exponent is refused (JsonCpp would print it with %.17g).
func jsonScalar(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", fmt.Errorf("%w: empty value", errParams)
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("%w: %v", errParams, err)
		}
		return s, nil
	case 't', 'f':
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return "", fmt.Errorf("%w: %v", errParams, err)
		}
		return strconv.FormatBool(b), nil
	case 'n':
		if string(raw) != "null" {
			return "", fmt.Errorf("%w: %s", errParams, raw)
		}
		return "", nil
	case '[', '{':
		return "", fmt.Errorf("%w: nested %s where a value is expected", errParams, raw[:1])
	}
	s := string(raw)
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return s, nil
	}
	if _, err := strconv.ParseUint(s, 10, 64); err == nil {
		return s, nil
	}
	return "", fmt.Errorf("%w: %s is not a 64-bit integer", errParams, raw)
}

// UnmarshalJSON reads a "params" array as the reference does. Option values that are
// null, [] or {} give bare flags; an array value repeats the option once per element.
func (p *Params) UnmarshalJSON(b []byte) error {
	var elems []json.RawMessage
	if err := json.Unmarshal(b, &elems); err != nil {
		return fmt.Errorf("%w: not an array: %v", errParams, err)
	}
	*p = Params{}
	seenObject := false
	for _, e := range elems {
		e = bytes.TrimSpace(e)
		if len(e) > 0 && e[0] == '{' {
			if seenObject { // the reference reads the first object only
				continue
			}
			seenObject = true
			var obj map[string]json.RawMessage
			if err := json.Unmarshal(e, &obj); err != nil {
				return fmt.Errorf("%w: %v", errParams, err)
			}
			names := make([]string, 0, len(obj))
			for k := range obj {
				names = append(names, k)
			}
			sort.Strings(names) // JsonCpp's member order
			for _, k := range names {
				v := bytes.TrimSpace(obj[k])
				switch {
				case string(v) == "null", string(v) == "{}", isEmptyArray(v):
					p.Options = append(p.Options, Option{Name: k})
				case v[0] == '[':
					var items []json.RawMessage
					if err := json.Unmarshal(v, &items); err != nil {
						return fmt.Errorf("%w: %v", errParams, err)
					}
					for _, it := range items {
						s, err := jsonScalar(it)
						if err != nil {
							return err
						}
						p.Options = append(p.Options, Option{Name: k, Value: &s})
					}
				default:
					s, err := jsonScalar(v)
					if err != nil {
						return err
					}
					p.Options = append(p.Options, Option{Name: k, Value: &s})
				}
			}
			continue
		}
		s, err := jsonScalar(e)
		if err != nil {
			return err
		}
		p.Args = append(p.Args, s)
	}
	return nil
}

func isEmptyArray(v []byte) bool {
	var a []json.RawMessage
	return len(v) > 0 && v[0] == '[' && json.Unmarshal(v, &a) == nil && len(a) == 0
}

// MarshalJSON writes the options as one object first (a repeated name as an array, a flag
// as null) and then the arguments, every value a string.
func (p Params) MarshalJSON() ([]byte, error) {
	out := make([]any, 0, 1+len(p.Args))
	if len(p.Options) > 0 {
		obj := map[string]any{}
		for _, o := range p.Options {
			if o.Value == nil {
				obj[o.Name] = nil
				continue
			}
			switch cur := obj[o.Name].(type) {
			case nil:
				obj[o.Name] = *o.Value
			case string:
				obj[o.Name] = []string{cur, *o.Value}
			case []string:
				obj[o.Name] = append(cur, *o.Value)
			}
		}
		out = append(out, obj)
	}
	for _, a := range p.Args {
		out = append(out, a)
	}
	return json.Marshal(out)
}

// CommandLine returns the argv the reference's command parser receives for method:
// the method, then "--name" (and its value) for each option, then the arguments.
func (p Params) CommandLine(method string) []string {
	argv := []string{method}
	for _, o := range p.Options {
		argv = append(argv, "--"+o.Name)
		if o.Value != nil {
			argv = append(argv, *o.Value)
		}
	}
	return append(argv, p.Args...)
}

// Request is a JSON-RPC request to /rpc/v3 as the client sends it (and a server reads it).
type Request struct {
	JSONRPC string `json:"jsonrpc"`
	ID      uint64 `json:"id"`
	Method  string `json:"method"`
	Params  Params `json:"params"`
}

// ErrorObject is the "error" member of an answer.
type ErrorObject struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// Response is an answer as the reference prints it: "result" on success, "error" on a
// refusal, never both. A null result must be json.RawMessage("null"): a nil Result is
// left out, and an answer with neither member is malformed.
type Response struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      uint64          `json:"id"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *ErrorObject    `json:"error,omitempty"`
}
