package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/tx"
)

//go:embed web
var webFS embed.FS

// Config configures a Server.
type Config struct {
	// Node is the chain the pages read (a *rpcclient.Client).
	Node Node
	// Index is the followed chain's live list, chart figures and asset holders; a Follower
	// fills it.
	Index *Index
	// Params is the node's network, to read addresses.
	Params *mvs.Params
	// User and Password, when User is set, protect every page with HTTP basic auth.
	User, Password string
	// PageTimeout bounds the node calls of one page; 0 means 15 s.
	PageTimeout time.Duration
	// Logger receives one record per failed page (node errors); nil discards.
	Logger *slog.Logger
	// LoginDomain names this explorer in the DID login challenges it issues (what a
	// signer sees and signs); "" means DefaultLoginDomain.
	LoginDomain string
}

// ErrConfig is a Config NewServer cannot use.
var ErrConfig = errors.New("explorer: invalid configuration")

// Server is the explorer's http.Handler.
type Server struct {
	node    Node
	index   *Index
	params  *mvs.Params
	user    string
	pass    string
	timeout time.Duration
	log     *slog.Logger
	pages   map[string]*template.Template
	mux     *http.ServeMux

	decMu    sync.Mutex
	decimals map[string]uint8

	streams atomic.Int64 // live-list streams open

	logins   *did.Logins
	sessions *sessions
}

// NewServer returns the explorer's handler.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Node == nil || cfg.Index == nil || cfg.Params == nil {
		return nil, fmt.Errorf("%w: Node, Index and Params are required", ErrConfig)
	}
	if cfg.User == "" && cfg.Password != "" {
		return nil, fmt.Errorf("%w: Password without User", ErrConfig)
	}
	s := &Server{node: cfg.Node, index: cfg.Index, params: cfg.Params, user: cfg.User, pass: cfg.Password,
		timeout: cfg.PageTimeout, log: cfg.Logger, decimals: map[string]uint8{}}
	if s.timeout <= 0 {
		s.timeout = 15 * time.Second
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	static, err := fs.Sub(webFS, "web/static")
	if err != nil {
		return nil, err
	}
	m := http.NewServeMux()
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /{$}", s.page(s.home))
	m.HandleFunc("GET /search", s.search)
	m.HandleFunc("GET /block/{id}", s.page(s.block))
	m.HandleFunc("GET /tx/{hash}", s.page(s.tx))
	m.HandleFunc("GET /address/{addr}", s.page(s.address))
	m.HandleFunc("GET /asset/{symbol}", s.page(s.asset))
	m.HandleFunc("GET /did/{symbol}", s.page(s.did))
	m.HandleFunc("GET /mit/{symbol}", s.page(s.mit))
	m.HandleFunc("GET /charts", s.page(s.charts))
	m.HandleFunc("GET /events", s.events)
	m.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r, http.StatusNotFound, "error", errView{Title: "Page not found", Message: "There is no page at " + r.URL.Path + "."})
	})
	s.addProofRoutes(m)
	s.addLoginRoutes(m, cfg.LoginDomain)
	s.mux = m
	return s, nil
}

func parsePages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"short": func(h mvs.Hash) string { s := h.String(); return s[:10] + "…" + s[54:] },
		"add":   func(a, b uint64) uint64 { return a + b },
		"unix":  func(t int64) string { return formatTime(uint64(t)) },
	}
	names, err := fs.Glob(webFS, "web/templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(n[len("web/templates/"):], ".html")
		if base == "layout" || base == "partials" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(webFS, "web/templates/layout.html", "web/templates/partials.html", n)
		if err != nil {
			return nil, err
		}
		pages[base] = t
	}
	return pages, nil
}

// ServeHTTP checks credentials, sets the security headers and serves the page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.user != "" {
		u, p, ok := r.BasicAuth()
		// Compared as SHA-256 digests, so that neither the time nor the lengths tell anything.
		gu, gp, wu, wp := sha256.Sum256([]byte(u)), sha256.Sum256([]byte(p)), sha256.Sum256([]byte(s.user)), sha256.Sum256([]byte(s.pass))
		if !ok || subtle.ConstantTimeCompare(gu[:], wu[:])&subtle.ConstantTimeCompare(gp[:], wp[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="explorer", charset="UTF-8"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
	}
	h := w.Header()
	// Everything is served by this program: no script, style or image from elsewhere.
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	s.mux.ServeHTTP(w, r)
}

// pageData is what every page template gets.
type pageData struct {
	Title    string
	Query    string
	Progress progressView
	Body     any
}

type progressView struct {
	Indexed, NodeTip uint64
	Synced           bool
	Err              string
}

type errView struct {
	Title   string
	Message string
	Query   string
}

// pageErr is a page's failure with the status it is served with.
type pageErr struct {
	status int
	title  string
	msg    string
}

func (e *pageErr) Error() string { return e.msg }

func notFound(format string, args ...any) error {
	return &pageErr{http.StatusNotFound, "Not found", fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) error {
	return &pageErr{http.StatusBadRequest, "Bad request", fmt.Sprintf(format, args...)}
}

// isMissing says whether a node error means "no such thing" rather than a failure.
func isMissing(err error) bool {
	if errors.Is(err, rpcclient.ErrNotFound) {
		return true
	}
	var re *rpcclient.RPCError
	if errors.As(err, &re) {
		switch re.Code {
		case rpcclient.CodeBlockHeightGet, rpcclient.CodeBlockHashGet, rpcclient.CodeBlockHeaderGet,
			rpcclient.CodeTxNotFound, rpcclient.CodeAssetSymbolNotFound, rpcclient.CodeDIDSymbolNotFound,
			rpcclient.CodeAddressNotBoundDID:
			return true
		}
	}
	return false
}

// nodeErr turns a node failure into the page's error: missing things are 404 with what
// was asked, anything else 502 (the explorer works; its node did not answer).
func nodeErr(err error, what string) error {
	var pe *pageErr
	if errors.As(err, &pe) {
		return err
	}
	if isMissing(err) {
		return notFound("%s was not found on the chain.", capitalize(what))
	}
	if errors.Is(err, rpcclient.ErrInvalidParam) {
		return badRequest("%s cannot be asked of the node: %v", what, err)
	}
	return &pageErr{http.StatusBadGateway, "The node did not answer", fmt.Sprintf("Reading %s from the node failed: %v", what, err)}
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

type handler func(ctx context.Context, r *http.Request) (name, title string, body any, err error)

func (s *Server) page(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
		defer cancel()
		name, title, body, err := h(ctx, r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, name, pageData{Title: title, Body: body})
	}
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var pe *pageErr
	if !errors.As(err, &pe) {
		pe = &pageErr{http.StatusInternalServerError, "Error", err.Error()}
	}
	if pe.status >= 500 {
		s.log.Warn("page failed", "path", r.URL.Path, "err", err)
	}
	s.render(w, r, pe.status, "error", errView{Title: pe.title, Message: pe.msg, Query: r.URL.Query().Get("q")})
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	pd, ok := data.(pageData)
	if !ok {
		ev := data.(errView)
		pd = pageData{Title: ev.Title, Body: ev, Query: ev.Query}
	}
	i, tip, synced, ferr := s.index.Progress()
	pd.Progress = progressView{Indexed: i, NodeTip: tip, Synced: synced}
	if ferr != nil {
		pd.Progress.Err = ferr.Error()
	}
	var buf bytes.Buffer
	if err := s.pages[name].Execute(&buf, pd); err != nil {
		s.log.Error("template", "page", name, "err", err)
		http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// search resolves the search box: one match redirects to its page, several list them,
// none says what was not found.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	raw := r.URL.Query().Get("q")
	q, err := ParseQuery(raw, s.params)
	if err != nil {
		msg := "Type a block height, a block hash, a transaction id, an address, or an asset, DID or MIT symbol."
		if !errors.Is(err, ErrEmptyQuery) {
			msg = fmt.Sprintf("%q is not something the explorer can look up: %v. %s", raw, strings.TrimPrefix(err.Error(), "explorer: "), msg)
		}
		s.render(w, r, http.StatusBadRequest, "error", errView{Title: "Search", Message: msg, Query: raw})
		return
	}
	links, err := s.resolve(ctx, q)
	if err != nil {
		var pe *pageErr
		if errors.As(err, &pe) && pe.status == http.StatusNotFound {
			pe.title = "Nothing found"
		}
		s.fail(w, r, err)
		return
	}
	if len(links) == 1 {
		http.Redirect(w, r, links[0].URL, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "choose", pageData{Title: "Search: " + raw, Query: raw, Body: links})
}

type link struct {
	Kind, Label, URL string
}

func (s *Server) resolve(ctx context.Context, q Query) ([]link, error) {
	switch q.Kind {
	case QueryHeight:
		tip, err := s.node.GetHeight(ctx)
		if err != nil {
			return nil, nodeErr(err, "the chain's height")
		}
		if q.Height > tip {
			return nil, notFound("No block at height %d: the chain's tip is at height %d.", q.Height, tip)
		}
		return []link{{"block", strconv.FormatUint(q.Height, 10), "/block/" + strconv.FormatUint(q.Height, 10)}}, nil
	case QueryHash:
		var out []link
		if _, err := s.node.GetBlockHeader(ctx, rpcclient.ByHash(q.Hash)); err == nil {
			out = append(out, link{"block", q.Hash.String(), "/block/" + q.Hash.String()})
		} else if !isMissing(err) {
			return nil, nodeErr(err, "block "+q.Hash.String())
		}
		if _, err := s.node.GetTx(ctx, q.Hash); err == nil {
			out = append(out, link{"transaction", q.Hash.String(), "/tx/" + q.Hash.String()})
		} else if !isMissing(err) {
			return nil, nodeErr(err, "transaction "+q.Hash.String())
		}
		if len(out) == 0 {
			return nil, notFound("No block and no transaction has hash %s.", q.Hash)
		}
		return out, nil
	case QueryAddress:
		a := q.Addr.String()
		return []link{{"address", a, "/address/" + a}}, nil
	}
	// Symbols: ask each namespace the query may name.
	var out []link
	try := func(kind QueryKind, label, path string, find func() error) error {
		if q.Kind != QuerySymbol && q.Kind != kind {
			return nil
		}
		if !validSymbol(kind, q.Symbol) {
			return nil
		}
		err := find()
		if err == nil {
			out = append(out, link{label, q.Symbol, path + url.PathEscape(q.Symbol)})
			return nil
		}
		if isMissing(err) {
			return nil
		}
		return nodeErr(err, label+" "+q.Symbol)
	}
	upper := strings.ToUpper(q.Symbol)
	if err := try(QueryAsset, "asset", "/asset/", func() error {
		_, err := s.node.GetAsset(ctx, upper)
		return err
	}); err != nil {
		return nil, err
	}
	if len(out) == 1 {
		out[0].Label, out[0].URL = upper, "/asset/"+url.PathEscape(upper)
	}
	if err := try(QueryDID, "DID", "/did/", func() error { _, err := s.node.GetDID(ctx, q.Symbol); return err }); err != nil {
		return nil, err
	}
	if err := try(QueryMIT, "MIT", "/mit/", func() error { _, err := s.node.GetMIT(ctx, q.Symbol); return err }); err != nil {
		return nil, err
	}
	if len(out) == 0 && (q.Kind == QuerySymbol || q.Kind == QueryCert) && validSymbol(QueryCert, q.Symbol) {
		certs, err := s.node.GetAssetCerts(ctx, upper)
		if err != nil && !isMissing(err) {
			return nil, nodeErr(err, "certificate "+upper)
		}
		for _, c := range certs {
			out = append(out, certLink(c))
		}
	}
	if len(out) == 0 {
		what := "asset, DID, MIT or certificate"
		switch q.Kind {
		case QueryCert:
			what = "certificate"
		case QueryAsset:
			what = "asset"
		case QueryDID:
			what = "DID"
		case QueryMIT:
			what = "MIT"
		}
		return nil, notFound("No %s is named %q.", what, q.Symbol)
	}
	return out, nil
}

// tip reads the node's height for confirmations.
func (s *Server) tip(ctx context.Context) (uint64, error) {
	h, err := s.node.GetHeight(ctx)
	if err != nil {
		return 0, nodeErr(err, "the chain's height")
	}
	return h, nil
}

type homeView struct {
	Blocks []BlockStat
	Charts chartsView
}

func (s *Server) home(ctx context.Context, r *http.Request) (string, string, any, error) {
	return "home", "Latest blocks", homeView{Blocks: s.index.Latest(20), Charts: buildCharts(s.index.Range(100))}, nil
}

func (s *Server) charts(ctx context.Context, r *http.Request) (string, string, any, error) {
	n := 500
	if v := r.URL.Query().Get("n"); v != "" {
		k, err := strconv.Atoi(v)
		if err != nil || k < 2 || k > keepStats {
			return "", "", nil, badRequest("n must be a number of blocks from 2 to %d, not %q.", keepStats, v)
		}
		n = k
	}
	return "charts", "Charts", buildCharts(s.index.Range(n)), nil
}

type blockView struct {
	Header        *rpcclient.BlockHeader
	Time          string
	Difficulty    string
	Confirmations uint64
	Txs           []txView
	Prev, Next    string
}

// maxBlockTxsRendered bounds the transactions a block page renders in full.
const maxBlockTxsRendered = 200

func (s *Server) block(ctx context.Context, r *http.Request) (string, string, any, error) {
	id := r.PathValue("id")
	var bid rpcclient.BlockID
	switch {
	case allDigits(id):
		h, err := strconv.ParseUint(id, 10, 64)
		if err != nil || h > maxHeight {
			return "", "", nil, badRequest("%q is not a block height.", id)
		}
		bid = rpcclient.ByHeight(h)
	case len(id) == 64 && isHex(id):
		h, err := mvs.ParseHash(id)
		if err != nil {
			return "", "", nil, badRequest("%q is not a block hash.", id)
		}
		bid = rpcclient.ByHash(h)
	default:
		return "", "", nil, badRequest("%q is neither a block height nor a block hash.", id)
	}
	tip, err := s.tip(ctx)
	if err != nil {
		return "", "", nil, err
	}
	b, err := s.node.GetBlock(ctx, bid)
	if err != nil {
		return "", "", nil, nodeErr(err, "block "+id)
	}
	v := blockView{Header: &b.BlockHeader, Time: formatTime(uint64(b.Timestamp)), Difficulty: b.Bits.String()}
	h := uint64(b.Number)
	if tip >= h {
		v.Confirmations = tip - h + 1
	}
	if h > 0 {
		v.Prev = b.PreviousBlockHash.String()
	}
	if h < tip {
		v.Next = strconv.FormatUint(h+1, 10)
	}
	lk := newLookups()
	for i := range b.Transactions {
		if i == maxBlockTxsRendered {
			break
		}
		t := b.Transactions[i]
		ht := rpcclient.Uint64(h)
		t.Height = &ht
		v.Txs = append(v.Txs, s.buildTx(ctx, &t, uint64(b.Timestamp), tip, nil, lk))
	}
	return "block", fmt.Sprintf("Block %d", h), v, nil
}

func parseHashParam(v, what string) (mvs.Hash, error) {
	if len(v) != 64 || !isHex(v) {
		return mvs.Hash{}, badRequest("%q is not a %s (64 hex digits).", v, what)
	}
	h, err := mvs.ParseHash(v)
	if err != nil {
		return mvs.Hash{}, badRequest("%q is not a %s: %v", v, what, err)
	}
	return h, nil
}

func (s *Server) tx(ctx context.Context, r *http.Request) (string, string, any, error) {
	h, err := parseHashParam(r.PathValue("hash"), "transaction id")
	if err != nil {
		return "", "", nil, err
	}
	tip, err := s.tip(ctx)
	if err != nil {
		return "", "", nil, err
	}
	t, err := s.node.GetTx(ctx, h)
	if err != nil {
		return "", "", nil, nodeErr(err, "transaction "+h.String())
	}
	// The serialized transaction carries the lock scripts (deposit heights, attenuation
	// models) that the JSON prints only in part; GetRawTx checks its hash.
	var decoded *tx.Tx
	if raw, err := s.node.GetRawTx(ctx, h); err == nil {
		decoded, _ = tx.Decode(raw)
	}
	var blockTime uint64
	if t.Height != nil && *t.Height > 0 {
		if bh, err := s.node.GetBlockHeader(ctx, rpcclient.ByHeight(uint64(*t.Height))); err == nil {
			blockTime = uint64(bh.Timestamp)
		}
	}
	v := s.buildTx(ctx, t, blockTime, tip, decoded, newLookups())
	return "tx", "Transaction " + h.String()[:16] + "…", v, nil
}

type addressView struct {
	Address   string
	DID       string
	ETP       *rpcclient.AddressBalance
	Confirmed string
	Available string
	Frozen    string
	Received  string
	Assets    []assetBalance
	Certs     []rpcclient.AssetCert
	Txs       []addrTx
	Page      uint64
	Pages     uint64
	PrevPage  uint64
	NextPage  uint64
}

type assetBalance struct {
	Symbol, Quantity, Locked string
}

type addrTx struct {
	Hash      mvs.Hash
	Height    uint64
	Time      string
	Direction string
	Summary   []string
}

func (s *Server) address(ctx context.Context, r *http.Request) (string, string, any, error) {
	raw := r.PathValue("addr")
	a, err := mvs.DecodeAddress(raw, s.params)
	if err != nil {
		return "", "", nil, badRequest("%q is not an address of this network: %v", raw, err)
	}
	addr := a.String()
	page := uint64(1)
	if p := r.URL.Query().Get("page"); p != "" {
		page, err = strconv.ParseUint(p, 10, 32)
		if err != nil || page == 0 {
			return "", "", nil, badRequest("page must be a number from 1, not %q.", p)
		}
	}
	v := addressView{Address: addr, Page: page}
	v.DID = s.didOf(ctx, addr, map[string]string{})
	bal, err := s.node.GetAddressETP(ctx, addr)
	if err != nil {
		return "", "", nil, nodeErr(err, "address "+addr)
	}
	v.ETP = bal
	v.Confirmed, v.Available = mvs.Amount(bal.Unspent).String(), mvs.Amount(bal.Available).String()
	v.Frozen, v.Received = mvs.Amount(bal.Frozen).String(), mvs.Amount(bal.Received).String()
	assets, err := s.node.GetAddressAsset(ctx, addr, "")
	if err != nil {
		return "", "", nil, nodeErr(err, "the assets of "+addr)
	}
	for _, as := range assets {
		var q, l uint64
		if as.Quantity != nil {
			q = uint64(*as.Quantity)
		}
		if as.LockedQuantity != nil {
			l = uint64(*as.LockedQuantity)
		}
		ab := assetBalance{Symbol: as.Symbol, Quantity: s.formatAsset(ctx, as.Symbol, q)}
		if l > 0 {
			ab.Locked = s.formatAsset(ctx, as.Symbol, l)
		}
		v.Assets = append(v.Assets, ab)
	}
	if v.Certs, err = s.node.GetAddressAssetCerts(ctx, addr, ""); err != nil {
		return "", "", nil, nodeErr(err, "the certificates of "+addr)
	}
	const perPage = 20
	tp, err := s.node.ListTxs(ctx, rpcclient.ListTxsParams{Address: addr, Index: page, Limit: perPage})
	var re *rpcclient.RPCError
	switch {
	case err == nil:
		v.Pages = uint64(tp.TotalPage)
		for _, t := range tp.Transactions {
			at := addrTx{Hash: t.Hash, Height: uint64(t.Height), Time: formatTime(uint64(t.Timestamp)), Direction: t.Direction}
			for _, o := range t.Outputs {
				if o.Address == nil || *o.Address != addr {
					continue
				}
				if q, ok := assetQuantity(&o.Attachment); ok && o.Attachment.Type == rpcclient.AttachmentAssetTransfer {
					at.Summary = append(at.Summary, "+"+s.formatAsset(ctx, o.Attachment.Symbol, q))
				} else if o.ETPValue > 0 {
					at.Summary = append(at.Summary, "+"+mvs.Amount(o.ETPValue).String()+" ETP")
				}
			}
			v.Txs = append(v.Txs, at)
		}
	case errors.As(err, &re) && re.Code == rpcclient.CodeArgumentLegality && page > 1:
		return "", "", nil, notFound("Address %s has no page %d of transactions.", addr, page)
	case errors.As(err, &re) && re.Code == rpcclient.CodeArgumentLegality:
		// No transactions: an honest empty history.
	default:
		return "", "", nil, nodeErr(err, "the history of "+addr)
	}
	if page > 1 {
		v.PrevPage = page - 1
	}
	if page < v.Pages {
		v.NextPage = page + 1
	}
	return "address", "Address " + addr, v, nil
}

type assetView struct {
	Symbol       string
	Issuer       string
	Address      string
	Description  string
	Decimals     uint64
	Supply       string
	Issues       int
	Threshold    uint64
	Certs        []rpcclient.AssetCert
	Holders      []holderView
	HoldersShown int
	HoldersTotal int
	Progress     progressView
}

type holderView struct {
	Address  string
	Quantity string
	Burned   bool
}

const maxHoldersShown = 100

func (s *Server) asset(ctx context.Context, r *http.Request) (string, string, any, error) {
	sym := strings.ToUpper(r.PathValue("symbol"))
	if !validSymbol(QueryAsset, sym) {
		return "", "", nil, badRequest("%q is not an asset symbol.", r.PathValue("symbol"))
	}
	recs, err := s.node.GetAsset(ctx, sym)
	if err != nil {
		return "", "", nil, nodeErr(err, "asset "+sym)
	}
	if len(recs) == 0 {
		return "", "", nil, notFound("Asset %s was not found on the chain.", sym)
	}
	first := recs[0]
	v := assetView{Symbol: sym, Issuer: first.Issuer, Address: first.Address, Description: first.Description,
		Decimals: uint64(first.DecimalNumber), Issues: len(recs), Threshold: uint64(first.SecondaryIssueThreshold)}
	// The node answers one record per issue (mvsd and the SDK's node; older SDK nodes the
	// first issue only); the index counts every issue output it has followed as well.
	var supply mvs.Amount
	for _, rec := range recs {
		if rec.MaximumSupply != nil {
			var ok bool
			if supply, ok = supply.Add(mvs.Amount(*rec.MaximumSupply)); !ok {
				return "", "", nil, &pageErr{http.StatusBadGateway, "The node did not answer", "asset " + sym + "'s issues add up past 2^64"}
			}
		}
	}
	if is := s.index.IssuedOf(sym); is.Issues > len(recs) || (is.Issues == len(recs) && is.Supply > uint64(supply)) {
		supply, v.Issues = mvs.Amount(is.Supply), is.Issues
	}
	v.Supply = s.formatAsset(ctx, sym, uint64(supply))
	if v.Certs, err = s.node.GetAssetCerts(ctx, sym); err != nil && !isMissing(err) {
		return "", "", nil, nodeErr(err, "the certificates of "+sym)
	}
	hs := s.index.Holders(sym)
	v.HoldersTotal = len(hs)
	for i, h := range hs {
		if i == maxHoldersShown {
			break
		}
		v.Holders = append(v.Holders, holderView{Address: h.Address, Quantity: s.formatAsset(ctx, sym, h.Quantity), Burned: h.Address == mvs.BlackholeAddress})
	}
	v.HoldersShown = len(v.Holders)
	i, tip, synced, _ := s.index.Progress()
	v.Progress = progressView{Indexed: i, NodeTip: tip, Synced: synced}
	return "asset", "Asset " + sym, v, nil
}

type didView struct {
	Symbol  string
	Address string
	History []rpcclient.DIDRecord
}

func (s *Server) did(ctx context.Context, r *http.Request) (string, string, any, error) {
	sym := r.PathValue("symbol")
	if !validSymbol(QueryDID, sym) {
		return "", "", nil, badRequest("%q is not a DID symbol.", sym)
	}
	recs, err := s.node.GetDID(ctx, sym)
	if err != nil {
		return "", "", nil, nodeErr(err, "DID "+sym)
	}
	v := didView{Symbol: sym}
	for _, rec := range recs {
		if rec.Status == "current" {
			v.Address, v.Symbol = rec.Address, rec.Symbol
		}
	}
	if v.Address == "" {
		return "", "", nil, notFound("DID %s has no current address.", sym)
	}
	v.History = recs
	return "did", "DID " + v.Symbol, v, nil
}

type mitView struct {
	MIT      *rpcclient.MIT
	OwnerDID string
	Content  string
	History  []mitEntry
}

type mitEntry struct {
	Height  uint64
	Time    string
	Address string
	DID     string
	Status  string
}

func (s *Server) mit(ctx context.Context, r *http.Request) (string, string, any, error) {
	sym := r.PathValue("symbol")
	if !validSymbol(QueryMIT, sym) {
		return "", "", nil, badRequest("%q is not an MIT symbol.", sym)
	}
	m, err := s.node.GetMIT(ctx, sym)
	if err != nil {
		return "", "", nil, nodeErr(err, "MIT "+sym)
	}
	v := mitView{MIT: m}
	if m.ToDID != nil {
		v.OwnerDID = *m.ToDID
	}
	hist, err := s.node.GetMITHistory(ctx, sym, 1, 50)
	if err != nil && !isMissing(err) {
		return "", "", nil, nodeErr(err, "the history of MIT "+sym)
	}
	for _, e := range hist {
		me := mitEntry{Address: e.Address, Status: e.Status}
		if e.Height != nil {
			me.Height = uint64(*e.Height)
		}
		if e.Timestamp != nil {
			me.Time = formatTime(uint64(*e.Timestamp))
		}
		if e.ToDID != nil {
			me.DID = *e.ToDID
		}
		if e.Content != nil && v.Content == "" {
			v.Content = *e.Content
		}
		v.History = append(v.History, me)
	}
	if m.Content != nil {
		v.Content = *m.Content
	}
	return "mit", "MIT " + m.Symbol, v, nil
}

// certLink is where a found certificate leads: an issue certificate to its asset's page,
// any other to the page of the address holding it, which lists its certificates (the DID
// page does not).
func certLink(c rpcclient.AssetCert) link {
	label := c.Symbol + ": " + c.Cert + " certificate"
	if c.Owner != "" {
		label += ", owner " + c.Owner
	}
	switch {
	case c.Cert == "issue":
		return link{"certificate", label, "/asset/" + url.PathEscape(c.Symbol)}
	case c.Address != "":
		return link{"certificate", label, "/address/" + url.PathEscape(c.Address)}
	}
	return link{"certificate", label, "/did/" + url.PathEscape(c.Owner)}
}
