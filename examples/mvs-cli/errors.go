package main

import (
	"encoding"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"

	"github.com/mvsgo/mvs"
)

// Errors of the CLI itself. Library errors keep their own sentinels (errors.Is works
// through the CLI's wrapping); these name what only the command line can get wrong.
var (
	// errNoTerminal: a secret was to be asked on the terminal and there is none.
	errNoTerminal = errors.New("no terminal")
	// errStdinTaken: two inputs were both to be read from stdin.
	errStdinTaken = errors.New("stdin is already used")
	// errAddressNetwork: an address that --net, given explicitly, does not accept.
	errAddressNetwork = errors.New("address of another network")
	// errSecretFlag: a removed flag that took a secret as its value.
	errSecretFlag = errors.New("secret on the command line")
)

// missingError names the required flags or arguments a command line lacks.
type missingError struct{ what []string }

func (m *missingError) Error() string { return "missing " + joinAnd(m.what, "and") }

func missing(what ...string) error { return &missingError{what: what} }

// joinAnd writes "a", "a and b", "a, b and c".
func joinAnd(s []string, conj string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " " + conj + " " + s[len(s)-1]
}

// plainError turns an error into the one sentence printed after "mvs-cli: ".
func plainError(err error) string { return plainMessage(addressHint(err)) }

// plainMessage folds s into one line and drops what only a Go programmer can read: the
// package prefixes library errors carry (which double up once wrapped) and encoding/json's
// Go type names.
func plainMessage(s string) string {
	// The package prefixes library errors start with ("mvs: ", "wallet: ", "tx json: ",
	// "encoding/hex: ", ...), at the start of the text or after another ": ".
	libPrefix := regexp.MustCompile(`(^|: |\()(?:tx json|mvs|wallet|tx|block|asset|script|ethash|chain|store|proof|did|rpcclient|json|encoding/hex|strconv\.Parse[A-Za-z0-9]*): `)
	// encoding/json's type-mismatch text, which names Go types.
	jsonTypeText := regexp.MustCompile(`cannot unmarshal (\w+) into Go (?:struct field (\w+)\.([\w.\[\]]+)|value) of type (\S+)`)
	s = strings.Join(strings.Fields(s), " ")
	s = jsonTypeText.ReplaceAllStringFunc(s, func(m string) string {
		g := jsonTypeText.FindStringSubmatch(m)
		if g[3] == "" {
			return fmt.Sprintf("the JSON holds %s where %s is expected", jsonKind(g[1]), goKindName(g[4]))
		}
		return fmt.Sprintf("field %q holds %s, want %s", g[3], jsonKind(g[1]), goKindName(g[4]))
	})
	for {
		t := libPrefix.ReplaceAllString(s, "$1")
		if t == s {
			break
		}
		s = t
	}
	return s
}

// jsonKind names a JSON value kind as encoding/json reports it.
func jsonKind(k string) string {
	switch k {
	case "object", "array":
		return "an " + k
	case "string", "number":
		return "a " + k
	case "bool":
		return "true or false"
	}
	return k
}

// goKindName is goKind for a type known only by the name in a flattened error's text.
func goKindName(t string) string {
	t = strings.TrimLeft(t, "*")
	switch {
	case t == "string", t == "[]uint8", strings.HasSuffix(t, "Hash"), strings.HasSuffix(t, "Address"):
		return "a string"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"), strings.HasPrefix(t, "float"), strings.HasSuffix(t, ".Amount"):
		return "a number"
	case strings.HasPrefix(t, "[]"):
		return "an array"
	}
	return "an object"
}

// goKind says, in JSON's words, what a Go type unmarshals from.
func goKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) {
		return "a string" // hashes, addresses
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "a string"
		}
		return "an array"
	}
	return "an object"
}

// jsonError describes a failure to decode JSON read from `what` without Go type names.
func jsonError(what string, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("%s: the JSON ends early", what)
	case errors.As(err, &syn):
		return fmt.Errorf("%s: not JSON at byte %d: %s", what, syn.Offset, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Errorf("%s: the JSON holds %s where %s is expected", what, jsonKind(typ.Value), goKind(typ.Type))
		}
		return fmt.Errorf("%s: field %q holds %s, want %s", what, typ.Field, jsonKind(typ.Value), goKind(typ.Type))
	}
	return fmt.Errorf("%s: %w", what, err)
}

// hexError describes bad hex without encoding/hex's wording.
func hexError(what string, err error) error {
	var ib hex.InvalidByteError
	switch {
	case errors.As(err, &ib):
		return fmt.Errorf("%s is not hex: %q is not a hex digit", what, rune(ib))
	case errors.Is(err, hex.ErrLength):
		return fmt.Errorf("%s is not hex: an odd number of digits", what)
	}
	return fmt.Errorf("%s is not hex: %w", what, err)
}

// addressHint adds, to an address from another network, which --net would accept it.
func addressHint(err error) string {
	s := err.Error()
	var ne *mvs.AddressNetworkError
	if !errors.As(err, &ne) || len(ne.Networks) == 0 {
		return s
	}
	nets := make([]string, len(ne.Networks))
	for i, n := range ne.Networks {
		nets[i] = "--net " + n
	}
	return s + " (it is valid with " + joinAnd(nets, "or") + ")"
}
