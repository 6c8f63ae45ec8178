package store

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
)

// realVectors is testdata/mvs-real.json: real genesis blocks and transactions.
type realVectors struct {
	Genesis map[string]struct {
		Hash         string `json:"hash"`
		CoinbaseTxID string `json:"coinbase_txid"`
		PaysTo       string `json:"pays_to"`
	} `json:"genesis"`
	Transactions []struct {
		Name string `json:"name"`
		Raw  string `json:"raw"`
		TxID string `json:"txid"`
	} `json:"transactions"`
}

func loadReal(t *testing.T) realVectors {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "mvs-real.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v realVectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRealOutputsRoundTrip: every output of real transactions (ETP, asset transfer and
// issue, an MIT with a version-207 attachment) survives Entry's encoding and comes back as
// the same output.
func TestRealOutputsRoundTrip(t *testing.T) {
	for _, v := range loadReal(t).Transactions {
		raw, err := hex.DecodeString(v.Raw)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := tx.Decode(raw)
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		if tr.Hash().String() != v.TxID {
			t.Fatalf("%s: txid %v, want %s", v.Name, tr.Hash(), v.TxID)
		}
		for j := range tr.Outputs {
			out := &tr.Outputs[j]
			e, err := decodeEntry((&Entry{Value: out.Value, Script: out.Script, Attachment: AttachmentBytes(&out.Attachment), Height: 9}).encode())
			if err != nil {
				t.Fatalf("%s output %d: %v", v.Name, j, err)
			}
			back, err := e.Output()
			if err != nil || !reflect.DeepEqual(back, *out) {
				t.Errorf("%s output %d: %+v %v, want %+v", v.Name, j, back, err, *out)
			}
		}
	}
}

// TestRealGenesis: a new mainnet or testnet store holds the real genesis block, and its
// output is indexed under the address it pays.
func TestRealGenesis(t *testing.T) {
	v := loadReal(t)
	for _, p := range []*mvs.Params{mvs.MainNet(), mvs.TestNet()} {
		g := v.Genesis[p.Name]
		s, err := Open(filepath.Join(t.TempDir(), "chain.db"), Options{Params: p, NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		hash, height, err := s.Tip()
		if err != nil || hash.String() != g.Hash || height != 0 {
			t.Fatalf("%s tip %v %d %v, want %s", p.Name, hash, height, err, g.Hash)
		}
		addr, err := mvs.DecodeAddress(g.PaysTo, p)
		if err != nil {
			t.Fatal(err)
		}
		err = s.View(func(sn *Snapshot) error {
			us, err := sn.UnspentByAddress(addr)
			if err != nil {
				return err
			}
			if len(us) != 1 || us[0].OutPoint.Hash.String() != g.CoinbaseTxID || us[0].Entry.Value != 50_000_000*mvs.SatoshiPerETP {
				t.Errorf("%s: unspent of %s: %+v", p.Name, g.PaysTo, us)
			}
			hist, _, err := sn.History(addr, nil, 10)
			if err != nil {
				return err
			}
			if len(hist) != 1 || hist[0].TxID.String() != g.CoinbaseTxID {
				t.Errorf("%s: history of %s: %+v", p.Name, g.PaysTo, hist)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Check(); err != nil {
			t.Fatal(err)
		}
	}
}
