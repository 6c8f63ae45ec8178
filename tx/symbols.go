package tx

import (
	"fmt"
	"strings"
)

// Symbol rules the node applies without chain state (check_transaction_basic, with
// block_chain_impl::is_valid_symbol, is_valid_did_symbol and is_valid_mit_symbol).

// bannedSymbolWords is the node's sensitive-word list (wallet/dictionary_symbol.cpp): a
// symbol containing any of them is refused.
var bannedSymbolWords = [...]string{
	"HUJINTAO", "WENJIABAO", "WJB", "XIJINPING", "XJP", "TANKMAN", "LIUSI", "VPN", "64MEMO",
	"GFW", "FREEDOM", "FREECHINA", "LIKEQIANG", "ZHOUYONGKANG", "LICHANGCHUN", "WUBANGGUO",
	"HEGUOQIANG", "JIANGZEMIN", "JZM", "FUCK", "SHIT", "198964", "GONGCHANDANG", "GCD", "TUGONG",
	"COMMUNISM", "FALUNGONG", "COMMUNIST", "PARTY", "CCP", "CPC", "HONGZHI", "LIHONGZHI", "LHZ",
	"DAJIYUAN", "ZANGDU", "DALAI", "MINZHU", "CHINA", "CHINESE", "TAIWAN", "SHABI", "PENIS", "J8",
	"ISLAM", "ALLHA", "USD", "CNY", "EUR", "AUD", "GBP", "CHF", "ETP", "CURRENCY", "ASSET",
	"BALANCE", "EXCHANGE", "TOKEN", "BUY", "SELL", "ASK", "BID", "DID", "ZEN.",
}

// IsSensitiveSymbol is the node's is_sensitive: the symbol contains a banned word (the
// comparison is case-sensitive; callers upper-case where the node does).
func IsSensitiveSymbol(symbol string) bool {
	for _, w := range bannedSymbolWords {
		if strings.Contains(symbol, w) {
			return true
		}
	}
	return false
}

func symbolChars(symbol string, extra string) bool {
	if symbol == "" || len(symbol) > 64 {
		return false
	}
	for i := 0; i < len(symbol); i++ {
		c := symbol[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte(extra, c) >= 0) {
			return false
		}
	}
	return true
}

// ValidAssetSymbol is is_valid_symbol, for asset and certificate symbols: 1–64 of
// [A-Za-z0-9.], and from SuperNova (version 4) upper case and free of banned words.
func ValidAssetSymbol(symbol string, txVersion uint32) bool {
	if !symbolChars(symbol, ".") {
		return false
	}
	return txVersion < VersionNova || (symbol == strings.ToUpper(symbol) && !IsSensitiveSymbol(symbol))
}

// ValidDIDSymbol is is_valid_did_symbol's network-free part: 1–64 of [A-Za-z0-9.@_-]. On
// mainnet the node also refuses an upper-cased symbol containing a banned word (see
// IsSensitiveSymbol), which needs the network and is not checked here.
func ValidDIDSymbol(symbol string) bool { return symbolChars(symbol, ".@_-") }

// ValidMITSymbol is is_valid_mit_symbol for a registration: 1–64 of [A-Za-z0-9.@_-], its
// upper case free of banned words.
func ValidMITSymbol(symbol string) bool {
	return symbolChars(symbol, ".@_-") && !IsSensitiveSymbol(strings.ToUpper(symbol))
}

// checkSymbols applies the symbol rules to the outputs that introduce a symbol: an asset
// issue, any certificate, a DID or MIT registration.
func (t *Tx) checkSymbols() error {
	for i := range t.Outputs {
		switch p := t.Outputs[i].Attachment.Payload.(type) {
		case *AssetDetail:
			if !p.IsSecondaryIssue() && !ValidAssetSymbol(p.Symbol, t.Version) {
				return fmt.Errorf("output[%d]: %w: asset %q", i, ErrInvalidSymbol, p.Symbol)
			}
		case *AssetCert:
			if !ValidAssetSymbol(p.Symbol, t.Version) {
				return fmt.Errorf("output[%d]: %w: certificate %q", i, ErrInvalidSymbol, p.Symbol)
			}
		case *DID:
			if p.Status == DIDStatusRegister && !ValidDIDSymbol(p.Symbol) {
				return fmt.Errorf("output[%d]: %w: DID %q", i, ErrInvalidSymbol, p.Symbol)
			}
		case *MIT:
			if p.Status == MITStatusRegister && !ValidMITSymbol(p.Symbol) {
				return fmt.Errorf("output[%d]: %w: MIT %q", i, ErrInvalidSymbol, p.Symbol)
			}
		}
	}
	return nil
}
