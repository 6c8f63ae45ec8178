package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/proof"
	"github.com/mvsgo/mvs/rpcclient"
)

// The proof-of-existence pages: /proof checks an uploaded proof (package proof's JSON)
// against the file (hashed here) or its SHA-256, and against this node's chain: the
// proof's header must be the node's block at that height, since a bare header can be
// forged. /proof/make builds the proof of a confirmed transaction's message.

// Upload limits: a proof is a transaction, a branch and a header (a few KiB); the file is
// only hashed, streamed, never stored.
const (
	maxProofBytes = 1 << 20
	maxFileBytes  = 256 << 20
)

func (s *Server) addProofRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /proof", s.page(s.proofForm))
	m.HandleFunc("POST /proof", s.page(s.proofCheck))
	m.HandleFunc("GET /proof/make", s.proofMake)
}

type proofCheckView struct {
	Digest   string // prefilled or checked
	TxID     string
	Checked  bool
	OK       bool
	Problem  string
	Height   uint32
	Block    string
	Time     string
	Confirms uint64
	Output   int
}

func (s *Server) proofForm(ctx context.Context, r *http.Request) (string, string, any, error) {
	v := proofCheckView{}
	if d := r.URL.Query().Get("digest"); len(d) == 64 && isHex(d) {
		v.Digest = strings.ToLower(d)
	}
	if t := r.URL.Query().Get("tx"); len(t) == 64 && isHex(t) {
		v.TxID = strings.ToLower(t)
	}
	return "proof", "Check a proof of existence", v, nil
}

// readPart reads at most limit bytes of a form part, refusing more.
func readPart(p *multipart.Part, limit int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(p, limit+1))
	if err != nil {
		return nil, badRequest("reading %s: %v", what, err)
	}
	if int64(len(b)) > limit {
		return nil, badRequest("%s is larger than %d bytes.", what, limit)
	}
	return b, nil
}

func (s *Server) proofCheck(ctx context.Context, r *http.Request) (string, string, any, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, maxFileBytes+2*maxProofBytes)
	mr, err := r.MultipartReader()
	if err != nil {
		return "", "", nil, badRequest("send the form as multipart/form-data: %v", err)
	}
	var proofJSON []byte
	var digest [32]byte
	haveDigest := false
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", "", nil, badRequest("reading the form: %v", err)
		}
		switch p.FormName() {
		case "proof", "proofjson":
			b, err := readPart(p, maxProofBytes, "the proof")
			if err != nil {
				return "", "", nil, err
			}
			if len(strings.TrimSpace(string(b))) > 0 {
				proofJSON = b
			}
		case "file":
			if p.FileName() == "" {
				continue // no file chosen
			}
			d, err := proof.Digest(p)
			if err != nil {
				return "", "", nil, badRequest("reading the file: %v", err)
			}
			digest, haveDigest = d, true // the file itself wins over a typed digest
		case "digest":
			b, err := readPart(p, 200, "the digest")
			if err != nil {
				return "", "", nil, err
			}
			t := strings.TrimSpace(string(b))
			if t == "" || haveDigest {
				continue
			}
			t = strings.TrimPrefix(strings.ToLower(t), proof.MessagePrefix)
			if len(t) != 64 || !isHex(t) {
				return "", "", nil, badRequest("the digest must be 64 hex digits (a SHA-256), not %q.", t)
			}
			hex.Decode(digest[:], []byte(t))
			haveDigest = true
		}
	}
	if proofJSON == nil {
		return "", "", nil, badRequest("no proof was sent: choose the proof's JSON file or paste it.")
	}
	if !haveDigest {
		return "", "", nil, badRequest("no file and no digest: the proof is checked against the file it proves.")
	}
	v := proofCheckView{Checked: true, Digest: hex.EncodeToString(digest[:])}
	var e proof.Existence
	if err := json.Unmarshal(proofJSON, &e); err != nil {
		v.Problem = "This is not a proof of existence this explorer can read: " + err.Error()
		return "proof", "Proof refused", v, nil
	}
	v.TxID, v.Height, v.Output = e.TxID().String(), e.Height(), e.Output
	src := proof.HeaderSourceFunc(func(h uint32) (mvs.Hash, error) {
		hd, err := s.node.GetBlockHeader(ctx, rpcclient.ByHeight(uint64(h)))
		if err != nil {
			return mvs.Hash{}, err
		}
		return hd.Hash, nil
	})
	h, err := e.VerifyAgainst(digest, src)
	switch {
	case err == nil:
	case errors.Is(err, proof.ErrHeaderSource) && !isMissing(err):
		// The node failed (not "no block there"): that is not a verdict on the proof.
		return "", "", nil, nodeErr(err, fmt.Sprintf("the block at height %d", e.Height()))
	default:
		v.Problem = proofProblem(err, e.Height())
		return "proof", "Proof refused", v, nil
	}
	v.OK, v.Block, v.Time = true, h.Hash().String(), formatTime(uint64(h.Timestamp))
	if tip, err := s.node.GetHeight(ctx); err == nil && tip >= uint64(h.Height) {
		v.Confirms = tip - uint64(h.Height) + 1
	}
	return "proof", "Proof checked", v, nil
}

// proofProblem says in words why a proof was refused.
func proofProblem(err error, height uint32) string {
	switch {
	case errors.Is(err, proof.ErrDigest):
		return "This proof is of another file: its digest is not the SHA-256 of the file (or digest) given."
	case errors.Is(err, proof.ErrNoDigest):
		return "The proof's transaction does not carry this digest in the output it names."
	case errors.Is(err, proof.ErrBranch):
		return "The proof's merkle branch does not lead from its transaction to its block header: it was altered."
	case errors.Is(err, proof.ErrHeaderMismatch), errors.Is(err, proof.ErrHeaderSource):
		return fmt.Sprintf("The proof's block is not the block this node's chain has at height %d: a forged header, a block a reorganization removed, or another network.", height)
	case errors.Is(err, proof.ErrMalformed):
		return "The proof is malformed: " + err.Error()
	}
	return err.Error()
}

// proofMake serves the proof that a confirmed transaction's message commits to digest,
// as a JSON download: made from the node's raw block, whose merkle root proof.Make checks.
func (s *Server) proofMake(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	txid, err := parseHashParam(r.URL.Query().Get("tx"), "transaction id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := strings.TrimPrefix(strings.ToLower(r.URL.Query().Get("digest")), proof.MessagePrefix)
	var digest [32]byte
	if len(d) != 64 || !isHex(d) {
		s.fail(w, r, badRequest("digest must be 64 hex digits, not %q.", d))
		return
	}
	hex.Decode(digest[:], []byte(d))
	t, err := s.node.GetTx(ctx, txid)
	if err != nil {
		s.fail(w, r, nodeErr(err, "transaction "+txid.String()))
		return
	}
	if t.Height == nil || *t.Height == 0 {
		s.fail(w, r, &pageErr{http.StatusConflict, "Not confirmed yet", "Transaction " + txid.String() + " is not in a block yet: its proof exists once it is."})
		return
	}
	raw, err := s.node.GetRawBlock(ctx, rpcclient.ByHeight(uint64(*t.Height)))
	if err != nil {
		s.fail(w, r, nodeErr(err, fmt.Sprintf("block %d", uint64(*t.Height))))
		return
	}
	blk, err := block.Decode(raw)
	if err != nil {
		s.fail(w, r, &pageErr{http.StatusBadGateway, "The node did not answer", fmt.Sprintf("block %d from the node does not decode: %v", uint64(*t.Height), err)})
		return
	}
	e, err := proof.Make(blk, txid, digest)
	if err != nil {
		if errors.Is(err, proof.ErrNoDigest) || errors.Is(err, proof.ErrTxNotInBlock) {
			s.fail(w, r, notFound("Transaction %s does not commit to digest %s.", txid, d))
			return
		}
		s.fail(w, r, &pageErr{http.StatusBadGateway, "The node did not answer", "making the proof: " + err.Error()})
		return
	}
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="proof-`+txid.String()[:16]+`.json"`)
	w.Write(append(b, '\n'))
}
