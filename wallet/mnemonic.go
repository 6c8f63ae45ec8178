package wallet

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"

	"github.com/tyler-smith/go-bip39"
)

// Mnemonic errors. A bad word is a *MnemonicWordError (errors.Is with ErrMnemonicWord).
var (
	ErrMnemonicWordCount = errors.New("wallet: a mnemonic has 12, 15, 18, 21 or 24 words")
	ErrMnemonicWord      = errors.New("wallet: word not in the BIP39 English list")
	ErrMnemonicChecksum  = errors.New("wallet: mnemonic checksum does not match (a word is wrong or out of order)")
)

// MnemonicWordError gives the 1-based position of an unknown word. Its message names the
// position only: a misspelled word is most of a secret word, and errors end up in logs.
type MnemonicWordError struct {
	Position int
	Word     string // the word as given; not printed
}

func (e *MnemonicWordError) Error() string {
	return fmt.Sprintf("%v: word %d", ErrMnemonicWord, e.Position)
}
func (e *MnemonicWordError) Unwrap() error { return ErrMnemonicWord }

// DefaultWords is the mnemonic length every MVS wallet uses (256 bits of entropy).
const DefaultWords = 24

// NewMnemonic returns a fresh mnemonic of words words (12–24 in steps of 3) from
// crypto/rand. The reference node draws its entropy from a clock-seeded mt19937; never do
// that.
func NewMnemonic(words int) (string, error) {
	if words == 0 {
		words = DefaultWords
	}
	if words < 12 || words > 24 || words%3 != 0 {
		return "", fmt.Errorf("%w: asked for %d", ErrMnemonicWordCount, words)
	}
	entropy := make([]byte, words*4/3)
	if _, err := rand.Read(entropy); err != nil {
		return "", err
	}
	return bip39.NewMnemonic(entropy)
}

// ValidateMnemonic checks word count, every word, and the checksum, and says which failed.
func ValidateMnemonic(mnemonic string) error {
	words := strings.Fields(mnemonic)
	switch len(words) {
	case 12, 15, 18, 21, 24:
	default:
		return fmt.Errorf("%w: got %d", ErrMnemonicWordCount, len(words))
	}
	for i, w := range words {
		if _, ok := bip39.GetWordIndex(w); !ok {
			return &MnemonicWordError{Position: i + 1, Word: w}
		}
	}
	if _, err := bip39.EntropyFromMnemonic(strings.Join(words, " ")); err != nil {
		return ErrMnemonicChecksum
	}
	return nil
}

// SeedFromMnemonic validates the mnemonic and returns its BIP39 seed. Every MVS wallet uses
// an empty passphrase; the words are joined with single spaces, as the node joins them.
func SeedFromMnemonic(mnemonic, passphrase string) ([]byte, error) {
	if err := ValidateMnemonic(mnemonic); err != nil {
		return nil, err
	}
	return bip39.NewSeed(strings.Join(strings.Fields(mnemonic), " "), passphrase), nil
}
