package main

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// proofForm builds the /proof form: fields by name, and files (name → content) as
// uploads.
func proofForm(t testing.TB, fields map[string]string, files map[string][]byte) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, name := range []string{"proof", "file"} { // the form's order
		if c, ok := files[name]; ok {
			fw, err := mw.CreateFormFile(name, name+".bin")
			if err != nil {
				t.Fatal(err)
			}
			fw.Write(c)
		}
	}
	for _, name := range []string{"proofjson", "digest"} {
		if v, ok := fields[name]; ok {
			mw.WriteField(name, v)
		}
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}

func postProof(t testing.TB, h http.Handler, fields map[string]string, files map[string][]byte) (int, string) {
	t.Helper()
	body, ct := proofForm(t, fields, files)
	req := httptest.NewRequest("POST", "/proof", body)
	req.Header.Set("Content-Type", ct)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// TestProofRefusals: what the proof form and the proof download refuse, each with what is
// wrong. (Proofs that verify, and proofs of another chain, are in TestLiveChain.)
func TestProofRefusals(t *testing.T) {
	fx := newFixture(t)
	s, _ := newTestServer(t, fx)
	digest := strings.Repeat("ab", 32)
	posts := []struct {
		name   string
		fields map[string]string
		files  map[string][]byte
		status int
		want   string
	}{
		{"no proof", map[string]string{"digest": digest}, nil, 400, "no proof was sent"},
		{"no digest", map[string]string{"proofjson": "{}"}, nil, 400, "no file and no digest"},
		{"bad digest", map[string]string{"proofjson": "{}", "digest": "xyz"}, nil, 400, "must be 64 hex digits"},
		{"not JSON", map[string]string{"proofjson": "hello", "digest": digest}, nil, 200, "not a proof of existence"},
		{"other format", map[string]string{"proofjson": `{"format":"x","version":1}`, "digest": digest}, nil, 200, "Not proven"},
		{"too big", nil, map[string][]byte{"proof": bytes.Repeat([]byte("a"), maxProofBytes+1)}, 400, "larger than"},
	}
	for _, tc := range posts {
		code, body := postProof(t, s, tc.fields, tc.files)
		if code != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, want %d and %q\n%s", tc.name, code, tc.status, tc.want, body)
		}
	}
	// Not multipart.
	req := httptest.NewRequest("POST", "/proof", strings.NewReader("proof=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 400 {
		t.Errorf("urlencoded form: %d", rec.Code)
	}

	gets := []struct {
		path   string
		status int
		want   string
	}{
		{"/proof", 200, `id="proof-submit"`},
		{"/proof?tx=" + fx.msg.String() + "&digest=" + fx.proofDigest, 200, `id="proof-download"`},
		{"/proof/make?tx=nothex&digest=" + digest, 400, "is not a transaction id"},
		{"/proof/make?tx=" + fx.msg.String() + "&digest=12", 400, "64 hex digits"},
		{"/proof/make?tx=" + strings.Repeat("cd", 32) + "&digest=" + digest, 404, "was not found"},
		// The fixture has no raw block: the node's answer is a 404 naming the block.
		{"/proof/make?tx=" + fx.msg.String() + "&digest=" + fx.proofDigest, 404, "Block 2 was not found"},
	}
	for _, tc := range gets {
		code, body, _ := get(t, s, tc.path)
		if code != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s: %d, want %d and %q\n%s", tc.path, code, tc.status, tc.want, body)
		}
	}
}

// newFakeServer is an explorer over the fixed fake chain (another chain than a live one).
func newFakeServer(t testing.TB) *Server {
	s, _ := newTestServer(t, newFixture(t))
	return s
}

// FuzzProofForm: whatever a browser (or not a browser) posts as a proof and a digest, the
// check answers without a 5xx.
func FuzzProofForm(f *testing.F) {
	f.Add(`{"format":"mvsgo-existence-proof","version":1}`, strings.Repeat("ab", 32))
	f.Add("{}", "sha256:"+strings.Repeat("00", 32))
	f.Add("[", "")
	s := newFakeServer(f)
	f.Fuzz(func(t *testing.T, proofJSON, digest string) {
		code, body := postProof(t, s, map[string]string{"proofjson": proofJSON, "digest": digest}, nil)
		if code >= 500 {
			t.Fatalf("%d\n%s", code, body)
		}
	})
}
