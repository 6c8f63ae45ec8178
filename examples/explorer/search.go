package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
)

// QueryKind says what a search box entry names.
type QueryKind uint8

// Query kinds. A bare symbol may be an asset, a DID or an MIT: the three namespaces are
// separate on chain, so the explorer asks the node about each (QuerySymbol); a prefix
// ("asset:", "did:", "mit:", "cert:") names one. Certificates are asked about last, only
// when no asset, DID or MIT has the name: a domain certificate shares its name with its
// owner's assets' prefix and usually with a DID, which is what a bare name is meant to find.
const (
	QueryHeight QueryKind = iota + 1
	QueryHash             // a block hash or a txid: both are 64 hex digits
	QueryAddress
	QuerySymbol
	QueryAsset
	QueryDID
	QueryMIT
	QueryCert // an asset certificate's symbol: "ALICE" (domain), "ALICE.NAME" (naming)
)

func (k QueryKind) String() string {
	switch k {
	case QueryHeight:
		return "height"
	case QueryHash:
		return "hash"
	case QueryAddress:
		return "address"
	case QuerySymbol:
		return "symbol"
	case QueryAsset:
		return "asset"
	case QueryDID:
		return "DID"
	case QueryMIT:
		return "MIT"
	case QueryCert:
		return "certificate"
	}
	return fmt.Sprintf("QueryKind(%d)", uint8(k))
}

// Query is a parsed search.
type Query struct {
	Kind   QueryKind
	Height uint64      // QueryHeight
	Hash   mvs.Hash    // QueryHash
	Addr   mvs.Address // QueryAddress
	Symbol string      // QuerySymbol, QueryAsset, QueryDID, QueryMIT, QueryCert
}

// Search errors.
var (
	// ErrEmptyQuery is a search with nothing in it.
	ErrEmptyQuery = errors.New("explorer: empty search")
	// ErrBadQuery is a search that is none of the things the explorer finds: not a
	// height, a 64-hex hash, an address of this network, nor a valid symbol.
	ErrBadQuery = errors.New("explorer: not a height, hash, address or symbol")
)

// maxQueryLen bounds what the parser looks at; nothing it finds is longer (a symbol is at
// most 64 characters, an address 34).
const maxQueryLen = 128

// maxHeight is the largest height the node's RPC takes (a uint32; 2^32-1 means "none").
const maxHeight = 1<<32 - 2

// ParseQuery reads a search box entry for network p. It never touches the node: it says
// what the entry can be, and the handler asks the node whether it exists.
func ParseQuery(s string, p *mvs.Params) (Query, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Query{}, ErrEmptyQuery
	}
	if len(s) > maxQueryLen {
		return Query{}, fmt.Errorf("%w: %d characters is longer than anything searchable", ErrBadQuery, len(s))
	}
	if kind, sym, ok := cutPrefix(s); ok {
		if !validSymbol(kind, sym) {
			return Query{}, fmt.Errorf("%w: %q is not a valid %s symbol", ErrBadQuery, sym, kind)
		}
		return Query{Kind: kind, Symbol: sym}, nil
	}
	if allDigits(s) {
		h, err := strconv.ParseUint(s, 10, 64)
		if err != nil || h > maxHeight {
			return Query{}, fmt.Errorf("%w: height %s is beyond any chain", ErrBadQuery, s)
		}
		return Query{Kind: QueryHeight, Height: h}, nil
	}
	if len(s) == 2*mvs.HashSize && isHex(s) {
		h, err := mvs.ParseHash(s)
		if err != nil {
			return Query{}, fmt.Errorf("%w: %v", ErrBadQuery, err)
		}
		return Query{Kind: QueryHash, Hash: h}, nil
	}
	if a, err := mvs.DecodeAddress(s, p); err == nil {
		return Query{Kind: QueryAddress, Addr: a}, nil
	} else if errors.Is(err, mvs.ErrAddressNetwork) {
		// A valid address of another network: say so rather than "not found".
		return Query{}, fmt.Errorf("%w: %v", ErrBadQuery, err)
	}
	if validSymbol(QueryAsset, s) || validSymbol(QueryDID, s) || validSymbol(QueryMIT, s) {
		return Query{Kind: QuerySymbol, Symbol: s}, nil
	}
	return Query{}, fmt.Errorf("%w: %q", ErrBadQuery, s)
}

func cutPrefix(s string) (QueryKind, string, bool) {
	for _, p := range []struct {
		prefix string
		kind   QueryKind
	}{{"asset:", QueryAsset}, {"did:", QueryDID}, {"mit:", QueryMIT}, {"cert:", QueryCert}} {
		if len(s) >= len(p.prefix) && strings.EqualFold(s[:len(p.prefix)], p.prefix) {
			return p.kind, strings.TrimSpace(s[len(p.prefix):]), true
		}
	}
	return 0, "", false
}

// validSymbol applies the node's stateless symbol rules. Asset symbols are checked in
// their upper case, as the node stores them; the pre-SuperNova rule (any case) is the
// lenient one, so old assets stay findable.
func validSymbol(k QueryKind, s string) bool {
	switch k {
	case QueryAsset, QueryCert: // a certificate is named as an asset is
		return tx.ValidAssetSymbol(strings.ToUpper(s), 1)
	case QueryDID:
		return tx.ValidDIDSymbol(s)
	case QueryMIT:
		return tx.ValidDIDSymbol(s) // same characters; the banned-word rule is for new registrations only
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
