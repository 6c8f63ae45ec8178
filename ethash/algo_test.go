package ethash

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"
)

func bytesOf(w []uint32) []byte {
	b := make([]byte, len(w)*4)
	for i, x := range w {
		binary.LittleEndian.PutUint32(b[i*4:], x)
	}
	return b
}

func TestVectors(t *testing.T) {
	raw, _ := os.ReadFile("testdata/ethash.json")
	var v struct {
		Sizes []struct {
			Epoch        uint64 `json:"epoch"`
			CacheBytes   uint64 `json:"cache_bytes"`
			DatasetBytes uint64 `json:"dataset_bytes"`
			Seed         string
		}
		Small []struct {
			Epoch     uint64
			CacheHex  string `json:"cache_hex"`
			CacheSize int    `json:"cache_size"`
			DSFirst   string `json:"dataset_first_64_hex"`
			DSSha     string `json:"dataset_sha256"`
			DSSize    int    `json:"dataset_size"`
		} `json:"small_cache_and_dataset"`
		SmallHashimoto struct {
			HeaderHash  string `json:"header_hash"`
			Mix, Result string
			Nonce       uint64
		} `json:"small_hashimoto"`
		Light []struct {
			Epoch       uint64
			HeaderHash  string `json:"header_hash"`
			Mix, Result string
			Nonce       uint64
			CacheSha    string `json:"cache_sha256"`
		} `json:"light_real_sizes"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	for _, s := range v.Sizes {
		seed := SeedHash(s.Epoch)
		if CacheSize(s.Epoch) != s.CacheBytes || DatasetSize(s.Epoch) != s.DatasetBytes || hex.EncodeToString(seed[:]) != s.Seed {
			t.Errorf("epoch %d sizes", s.Epoch)
		}
	}
	for _, s := range v.Small {
		seed := SeedHash(s.Epoch)
		cache := make([]uint32, s.CacheSize/4)
		GenerateCache(cache, seed[:])
		if hex.EncodeToString(bytesOf(cache)) != s.CacheHex {
			t.Errorf("small cache epoch %d", s.Epoch)
		}
		ds := make([]uint32, s.DSSize/4)
		GenerateDataset(ds, cache)
		sum := sha256.Sum256(bytesOf(ds))
		if hex.EncodeToString(bytesOf(ds[:16])) != s.DSFirst || hex.EncodeToString(sum[:]) != s.DSSha {
			t.Errorf("small dataset epoch %d", s.Epoch)
		}
		if s.Epoch == 0 {
			hh, _ := hex.DecodeString(v.SmallHashimoto.HeaderHash)
			m, r := HashimotoLight(uint64(s.DSSize), cache, hh, v.SmallHashimoto.Nonce)
			m2, r2 := HashimotoFull(ds, hh, v.SmallHashimoto.Nonce)
			if hex.EncodeToString(m[:]) != v.SmallHashimoto.Mix || hex.EncodeToString(r[:]) != v.SmallHashimoto.Result || m != m2 || r != r2 {
				t.Errorf("small hashimoto")
			}
		}
	}
	for _, l := range v.Light {
		seed := SeedHash(l.Epoch)
		cache := make([]uint32, CacheSize(l.Epoch)/4)
		GenerateCache(cache, seed[:])
		sum := sha256.Sum256(bytesOf(cache))
		if hex.EncodeToString(sum[:]) != l.CacheSha {
			t.Errorf("epoch %d cache sha", l.Epoch)
		}
		hh, _ := hex.DecodeString(l.HeaderHash)
		m, r := HashimotoLight(DatasetSize(l.Epoch), cache, hh, l.Nonce)
		if hex.EncodeToString(m[:]) != l.Mix || hex.EncodeToString(r[:]) != l.Result {
			t.Errorf("epoch %d light: %x %x", l.Epoch, m, r)
		}
	}
}
