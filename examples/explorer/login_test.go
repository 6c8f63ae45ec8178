package main

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/rpcclient"
)

var challengeRe = regexp.MustCompile(`(?s)<textarea name="challenge"[^>]*>(.*?)</textarea>`)

// TestDIDLogin: a visitor signs the page's challenge with the key of the address their
// DID is bound to now and is signed in (a session cookie names them); a replayed
// challenge, the DID's previous key, an unknown DID and damaged input are refused in
// words, and signing out ends the session.
func TestDIDLogin(t *testing.T) {
	fx := newFixture(t)
	now, _ := btcec.PrivKeyFromBytes([]byte("carol's current key, 32 bytes!!"))
	old, _ := btcec.PrivKeyFromBytes([]byte("carol's previous key, 32 bytes!"))
	addrOf := func(k *btcec.PrivateKey) string {
		return mvs.NewPubKeyHashAddress(mvs.Hash160(k.PubKey().SerializeCompressed()), regtest).String()
	}
	fx.node.dids["carol"] = []rpcclient.DIDRecord{{Address: addrOf(now), Status: "current", Symbol: "carol"},
		{Address: addrOf(old), Status: "history", Symbol: "carol"}}
	s, _ := newTestServer(t, fx)
	ts := httptest.NewServer(s)
	defer ts.Close()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}

	get := func() string {
		t.Helper()
		resp, err := client.Get(ts.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET /login: %d", resp.StatusCode)
		}
		return string(b)
	}
	challengeOf := func(page string) (string, did.LoginChallenge) {
		t.Helper()
		m := challengeRe.FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no challenge on the page")
		}
		text := html.UnescapeString(m[1])
		c, err := did.ParseLoginChallenge(text)
		if err != nil || c.Domain != DefaultLoginDomain {
			t.Fatalf("the page's challenge: %+v %v", c, err)
		}
		return text, c
	}
	sign := func(k *btcec.PrivateKey, c did.LoginChallenge) string {
		sig, err := did.SignLogin(k, c)
		if err != nil {
			t.Fatal(err)
		}
		return did.EncodeLoginSignature(sig)
	}
	post := func(form url.Values) (int, string) {
		t.Helper()
		resp, err := client.PostForm(ts.URL+"/login", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	page := get()
	if strings.Contains(page, `id="login-ok"`) {
		t.Fatal("signed in before signing in")
	}
	text, c := challengeOf(page)
	good := url.Values{"challenge": {text}, "did": {"carol"}, "signature": {sign(now, c)}}
	code, body := post(good)
	if code != 200 || !strings.Contains(body, `id="login-ok"`) || !strings.Contains(body, "Signed in as") {
		t.Fatalf("the right key: %d\n%s", code, body)
	}
	if !strings.Contains(get(), `id="login-ok"`) {
		t.Fatal("the session does not hold")
	}

	// Refusals, each on a fresh challenge but the replay.
	text2, c2 := challengeOf(get())
	text3, c3 := challengeOf(get())
	text4, _ := challengeOf(get())
	for _, tc := range []struct {
		name string
		form url.Values
		code int
		says string
	}{
		{"replayed", good, 403, "already used"},
		{"the previous key", url.Values{"challenge": {text2}, "did": {"carol"}, "signature": {sign(old, c2)}}, 403, "not by the key"},
		{"an unknown DID", url.Values{"challenge": {text3}, "did": {"nobody"}, "signature": {sign(now, c3)}}, 403, "No such DID"},
		{"no DID", url.Values{"challenge": {text4}, "signature": {sign(now, c3)}}, 400, "Which DID"},
		{"a damaged challenge", url.Values{"challenge": {"MVS DID login v1\nnonsense"}, "did": {"carol"}, "signature": {"AA=="}}, 400, "not one this page issued"},
		{"a damaged signature", url.Values{"challenge": {text4}, "did": {"carol"}, "signature": {"%%%"}}, 400, "not a base64"},
	} {
		code, body := post(tc.form)
		if code != tc.code || !strings.Contains(body, `id="login-bad"`) || !strings.Contains(body, tc.says) {
			t.Errorf("%s: %d, want %d saying %q\n%s", tc.name, code, tc.code, tc.says, body)
		}
	}

	// Signing out ends the session.
	resp, err := client.PostForm(ts.URL+"/logout", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if strings.Contains(get(), `id="login-ok"`) {
		t.Fatal("still signed in after signing out")
	}
}
