package store

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	bolt "go.etcd.io/bbolt"
)

// PutSideBlock keeps the body of a block that is not on the main chain (a side-chain block
// waiting for its branch to win), so that a reorganisation, and a restart in the middle of
// one, finds it here. raw must decode as a block whose header hashes to hash (else
// ErrBadUpdate); a block on the main chain, the open batch included, is refused with
// ErrBadUpdate too, since its body is already kept. It commits at once, even inside a
// batch. Side bodies are not part of Digest.
func (s *Store) PutSideBlock(hash mvs.Hash, raw []byte) error {
	blk, err := block.Decode(raw)
	if err != nil {
		return fmt.Errorf("%w: side block %v: %v", ErrBadUpdate, hash, err)
	}
	if got := blk.Hash(); got != hash {
		return fmt.Errorf("%w: side block %v: the body's header hashes to %v", ErrBadUpdate, hash, got)
	}
	raw = bytes.Clone(raw)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable(); err != nil {
		return err
	}
	return s.update(func(btx *bolt.Tx) error {
		g, done := s.batchOver(newBoltGetter(btx))
		onMain := g.has(bBlocks, hash[:])
		done()
		if onMain {
			return refused{fmt.Errorf("%w: side block %v is on the main chain", ErrBadUpdate, hash)}
		}
		return btx.Bucket([]byte(bucketName(bSide))).Put(hash[:], raw)
	})
}

// SideBlock is a side-chain body kept by PutSideBlock or DisconnectTip; ok is false when
// there is none (a main-chain body is read with Snapshot.RawBlock). It sees an open batch:
// a block connected in it is no longer a side block.
func (s *Store) SideBlock(hash mvs.Hash) (raw []byte, ok bool, err error) {
	err = s.read(func(g getter, _ *boltGetter) error {
		raw, ok = g.get(bSide, hash[:])
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return bytes.Clone(raw), ok, nil // an overlay's value is not the caller's to change
}

// DeleteSideBlock forgets a side-chain body (the branch fell below a checkpoint, was found
// invalid, or the caller prunes). Deleting one that is not kept does nothing. It commits
// at once, even inside a batch. ConnectBlock removes the side body of the block it connects
// by itself.
func (s *Store) DeleteSideBlock(hash mvs.Hash) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable(); err != nil {
		return err
	}
	// Looked up first: an empty write transaction would still cost a commit.
	var kept bool
	if err := s.db.View(func(btx *bolt.Tx) error {
		kept = btx.Bucket([]byte(bucketName(bSide))).Get(hash[:]) != nil
		return nil
	}); err != nil {
		return fmt.Errorf("store: reading: %w", err)
	}
	if !kept {
		return nil
	}
	return s.update(func(btx *bolt.Tx) error {
		return btx.Bucket([]byte(bucketName(bSide))).Delete(hash[:])
	})
}

// SideBlockInfo is a kept side-chain body: its hash and size.
type SideBlockInfo struct {
	Hash mvs.Hash
	Size int
}

// SideBlocks lists the side-chain bodies kept, in hash order (an open batch included), so
// that a caller can bound them: they are not part of the chain state and nothing else
// removes a body whose branch never wins.
func (s *Store) SideBlocks() ([]SideBlockInfo, error) {
	var out []SideBlockInfo
	err := s.read(func(g getter, committed *boltGetter) error {
		c := committed.bucket(bSide).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var h mvs.Hash
			copy(h[:], k)
			if g.has(bSide, k) { // the batch may have connected it
				out = append(out, SideBlockInfo{Hash: h, Size: len(v)})
			}
		}
		return nil
	})
	return out, err
}

// Body is a block's bytes as received, from the main chain's bodies or else the side
// bodies (a block disconnected since, or one waiting on a side chain), an open batch
// included. Neither holding it is ErrNotFound. What a node serves to a peer asking for a
// block, and how the chain reads back a block it published an event for.
func (s *Store) Body(hash mvs.Hash) ([]byte, error) {
	var raw []byte
	err := s.read(func(g getter, _ *boltGetter) error {
		v, err := rawBlockOf(g, hash)
		if errors.Is(err, ErrNotFound) {
			var ok bool
			if v, ok = g.get(bSide, hash[:]); !ok {
				return err
			}
		} else if err != nil {
			return err
		}
		raw = bytes.Clone(v) // neither an overlay's nor bbolt's memory is the caller's
		return nil
	})
	return raw, err
}
