package did_test

import (
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// Register "alice" to a key's address, resolve it, then log alice in with an identity
// proof.
func Example() {
	p := mvs.TestNet()
	priv, _ := btcec.PrivKeyFromBytes([]byte("an example key, never use it!!!"))
	addr := mvs.NewPubKeyAddress(priv.PubKey().SerializeCompressed(), p)

	// The registration spends an ETP output of the address it binds.
	funding := tx.OutPoint{Index: 1}
	prev := did.PrevOutMap{funding: {Value: 3e8, Script: script.PayToAddress(addr),
		Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}}}
	register := &tx.Tx{Version: tx.VersionNova,
		Inputs: []tx.Input{{PreviousOutput: funding, Sequence: 0xffffffff}},
		Outputs: []tx.Output{
			{Script: script.PayToAddress(addr), Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeDID,
				Payload: &tx.DID{Status: tx.DIDStatusRegister, Symbol: "alice", Address: addr.String()}}},
			{Value: 2e8, Script: script.PayToAddress(addr), Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}},
		}}

	reg := did.NewMemory()
	const height = 1000
	if err := did.CheckTx(register, prev, height, p, reg); err != nil {
		fmt.Println("refused:", err)
		return
	}
	if err := reg.Apply(register, height); err != nil {
		fmt.Println(err)
		return
	}
	// Registering the same symbol again is refused, with a named error.
	err := did.CheckTx(register, prev, height+1, p, reg)
	fmt.Println(err != nil, errors.Is(err, did.ErrSymbolExists))

	bound, _ := did.AddressOf(reg, "alice", height)
	owner, _ := did.SymbolOf(reg, addr.String(), height)
	fmt.Println(bound == addr.String(), owner)

	// Login: the service issues a challenge and remembers its nonce...
	issued := map[[did.NonceSize]byte]bool{}
	c, err := did.NewChallenge(rand.Reader, "login.example.com", "alice", time.Now().Add(2*time.Minute))
	if err != nil {
		fmt.Println(err)
		return
	}
	issued[c.Nonce] = true
	// ...the holder signs it with the DID's key...
	proof, _ := did.Sign(c, priv)
	// ...and the service checks it against the DID's address at the chain's tip.
	v := &did.Verifier{Domain: "login.example.com", Params: p, UseNonce: func(c did.Challenge) error {
		if !issued[c.Nonce] {
			return fmt.Errorf("nonce not issued or already used")
		}
		delete(issued, c.Nonce)
		return nil
	}}
	b, err := v.Verify(proof, "alice", height, reg)
	fmt.Println(b.Symbol, err)
	_, err = v.Verify(proof, "alice", height, reg)
	fmt.Println(errors.Is(err, did.ErrNonce))
	// Output:
	// true true
	// true alice
	// alice <nil>
	// true
}
