package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/did/resolvers"
)

// DID login: the explorer issues a challenge (did.Logins), the visitor signs it with the
// key of the address their DID is bound to (`mvs-cli did sign`, or any wallet that signs
// messages as mvsd's libbitcoin does), and the explorer checks the signature against the
// DID's CURRENT address on the node's chain (did/resolvers.Node: a key the DID has moved
// away from is refused). A signed-in visitor holds a session cookie (random, HttpOnly,
// SameSite=Strict) that names their DID in the page header.

// DefaultLoginDomain is the domain an explorer's challenges name when Config.LoginDomain
// is empty.
const DefaultLoginDomain = "mvs-explorer"

const (
	sessionCookie    = "mvs_session"
	sessionTTL       = 12 * time.Hour
	maxSessions      = 10_000
	maxLoginBody     = 8 << 10
	maxPendingLogins = 10_000
)

func (s *Server) addLoginRoutes(m *http.ServeMux, domain string) {
	if domain == "" {
		domain = DefaultLoginDomain
	}
	s.logins = &did.Logins{Domain: domain, Resolver: resolvers.Node{Client: s.node, Params: s.params},
		MaxPending: maxPendingLogins}
	s.sessions = &sessions{m: map[string]session{}}
	m.HandleFunc("GET /login", s.page(s.loginForm))
	m.HandleFunc("POST /login", s.login)
	m.HandleFunc("POST /logout", s.logout)
}

type loginView struct {
	Domain    string
	Challenge string // the text to sign
	SignedIn  *session
	Failed    string // why the last attempt failed
	DID       string
}

type session struct {
	DID     string
	Address string
	Expires time.Time
}

// sessions are the signed-in visitors, bounded, by a random token.
type sessions struct {
	mu sync.Mutex
	m  map[string]session
}

func (ss *sessions) add(sn session, now time.Time) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	tok := hex.EncodeToString(b[:])
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if len(ss.m) >= maxSessions {
		for k, v := range ss.m {
			if now.After(v.Expires) {
				delete(ss.m, k)
			}
		}
		if len(ss.m) >= maxSessions {
			return "", errors.New("too many sessions: try again later")
		}
	}
	ss.m[tok] = sn
	return tok, nil
}

func (ss *sessions) get(r *http.Request, now time.Time) (*session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || len(c.Value) != 64 {
		return nil, false
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	sn, ok := ss.m[c.Value]
	if !ok || now.After(sn.Expires) {
		delete(ss.m, c.Value)
		return nil, false
	}
	return &sn, true
}

func (ss *sessions) drop(r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		ss.mu.Lock()
		delete(ss.m, c.Value)
		ss.mu.Unlock()
	}
}

// loginForm shows a fresh challenge (and who is signed in, if anyone).
func (s *Server) loginForm(ctx context.Context, r *http.Request) (string, string, any, error) {
	v, err := s.newLoginView(r)
	if err != nil {
		return "", "", nil, err
	}
	return "login", "Sign in with a DID", v, nil
}

func (s *Server) newLoginView(r *http.Request) (loginView, error) {
	now := time.Now()
	v := loginView{Domain: s.logins.Domain}
	v.SignedIn, _ = s.sessions.get(r, now)
	ch, err := s.logins.Challenge(rand.Reader, now)
	if err != nil {
		return v, &pageErr{http.StatusServiceUnavailable, "Sign-in is busy", "No challenge could be issued: " + err.Error()}
	}
	v.Challenge = ch.Text()
	return v, nil
}

// login checks a signed challenge and starts a session.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginBody)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badRequest("the sign-in form could not be read: %v", err))
		return
	}
	symbol := strings.TrimSpace(r.PostForm.Get("did"))
	fail := func(status int, why string) {
		v, err := s.newLoginView(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v.Failed, v.DID = why, symbol
		s.render(w, r, status, "login", pageData{Title: "Sign in with a DID", Body: v})
	}
	ch, err := did.ParseLoginChallenge(strings.ReplaceAll(r.PostForm.Get("challenge"), "\r\n", "\n"))
	if err != nil {
		fail(http.StatusBadRequest, "The challenge is not one this page issued: "+err.Error())
		return
	}
	sig, err := did.DecodeLoginSignature(strings.TrimSpace(r.PostForm.Get("signature")))
	if err != nil {
		fail(http.StatusBadRequest, "The signature is not a base64 message signature: "+err.Error())
		return
	}
	if symbol == "" {
		fail(http.StatusBadRequest, "Which DID signs in? Enter its symbol.")
		return
	}
	now := time.Now()
	addr, err := s.logins.Verify(symbol, ch, sig, now)
	if err != nil {
		status := http.StatusForbidden
		if errors.Is(err, did.ErrResolver) {
			status = http.StatusBadGateway
		}
		fail(status, loginProblem(err))
		return
	}
	sn := session{DID: symbol, Address: addr.String(), Expires: now.Add(sessionTTL)}
	tok, err := s.sessions.add(sn, now)
	if err != nil {
		fail(http.StatusServiceUnavailable, err.Error())
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: tok, Path: "/", Expires: sn.Expires, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	s.render(w, r, http.StatusOK, "login", pageData{Title: "Signed in", Body: loginView{Domain: s.logins.Domain, SignedIn: &sn}})
}

// loginProblem says in words why a login was refused.
func loginProblem(err error) string {
	switch {
	case errors.Is(err, did.ErrNotFound):
		return "No such DID on this chain."
	case errors.Is(err, did.ErrKeyMismatch):
		return "The signature is not by the key of the address the DID is bound to now (a DID that moved signs with its new address's key)."
	case errors.Is(err, did.ErrNonce):
		return "This challenge was already used or was not issued here: sign the new one below."
	case errors.Is(err, did.ErrExpired):
		return "The challenge expired: sign the new one below."
	case errors.Is(err, did.ErrDomain):
		return "The challenge names another service."
	}
	return "The sign-in was refused: " + err.Error()
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	s.sessions.drop(r)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
