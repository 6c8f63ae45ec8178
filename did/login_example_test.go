package did_test

import (
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/did"
)

// A service logs alice in: it issues a challenge, alice's wallet signs its text with the
// key of the address alice is bound to, and the service checks the signature against the
// chain's current binding (here a fixed resolver; did.NodeResolver asks a node).
func ExampleLogins() {
	p := mvs.TestNet()
	key, _ := btcec.PrivKeyFromBytes([]byte("an example key, never use it!!!"))
	aliceAddr := mvs.NewPubKeyAddress(key.PubKey().SerializeCompressed(), p)
	chainSays := did.ResolverFunc(func(symbol string) (mvs.Address, error) {
		if symbol == "alice" {
			return aliceAddr, nil
		}
		return mvs.Address{}, did.ErrNotFound
	})

	server := &did.Logins{Domain: "login.example.com", Resolver: chainSays}
	c, err := server.Challenge(rand.Reader, time.Now())
	if err != nil {
		fmt.Println(err)
		return
	}
	text := c.Text() // sent to the client

	// The client: parse, check the domain is the one it is logging in to, sign.
	got, _ := did.ParseLoginChallenge(text)
	sig, _ := did.SignLogin(key, got)
	wire := did.EncodeLoginSignature(sig) // base64, as wallets print message signatures

	// The server again.
	back, _ := did.DecodeLoginSignature(wire)
	addr, err := server.Verify("alice", got, back, time.Now())
	fmt.Println(addr == aliceAddr, err)
	_, err = server.Verify("alice", got, back, time.Now())
	fmt.Println(errors.Is(err, did.ErrNonce)) // a signature logs in once
	// Output:
	// true <nil>
	// true
}
