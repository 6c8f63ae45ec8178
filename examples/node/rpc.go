package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/examples/node/rpcserver"
	"github.com/mvsgo/mvs/rpcclient"
)

// startRPC serves the JSON-RPC and push on cfg.RPCListen until the node's context ends.
func (n *Node) startRPC() error {
	if n.cfg.RPCListen == "" {
		return nil
	}
	srv, err := rpcserver.New(rpcserver.Config{Params: n.p, Store: n.st, Chain: n.chain, Queries: chain.NewQueries(n.st, n.p),
		Pool: n.pool, Peers: n, Miner: rpcMiner{n}, Submit: n.SubmitTx, User: n.cfg.RPCUser, Password: n.cfg.RPCPassword,
		Logger: n.log, Version: "mvsgo/0.1", Sync: n.syncInfo})
	if err != nil {
		return err
	}
	if err := srv.CheckListen(n.cfg.RPCListen); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", n.cfg.RPCListen)
	if err != nil {
		return fmt.Errorf("rpc: %w", err)
	}
	n.rpc, n.rpcAddr = srv, ln.Addr()
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		if err := srv.Serve(n.ctx, ln); err != nil {
			n.log.Error("rpc server", "err", err)
		}
	}()
	return nil
}

// PeerInfo lists the connected peers (getpeerinfo).
func (n *Node) PeerInfo() []string {
	var out []string
	for _, p := range n.srv.Peers() {
		out = append(out, p.Addr().String())
	}
	return out
}

// AddNode runs addnode: add (keep connected), ban (the IP, a day), peer (lift a ban).
func (n *Node) AddNode(addr, op string) error {
	switch op {
	case "add", "":
		return n.srv.AddPeer(addr)
	case "ban", "peer":
		ap, err := netip.ParseAddrPort(addr)
		if err != nil {
			return fmt.Errorf("addnode: %q is not ip:port", addr)
		}
		if op == "ban" {
			return n.srv.Ban(ap.Addr(), 24*time.Hour)
		}
		return n.srv.Unban(ap.Addr())
	}
	return fmt.Errorf("addnode: operation %q is not supported here", op)
}

// rpcMiner is the miner as the RPC sees it.
type rpcMiner struct{ n *Node }

func (m rpcMiner) GetWork() (rpcclient.Work, error) {
	if m.n.miner == nil {
		return rpcclient.Work{}, fmt.Errorf("%w: start the node with --mine-to", rpcserver.ErrNoMiningAccount)
	}
	return m.n.miner.GetWork()
}

func (m rpcMiner) SubmitWork(nonce uint64, powHash, mix [32]byte) (bool, error) {
	if m.n.miner == nil {
		return false, errors.New("no miner: start the node with --mine-to")
	}
	ctx, cancel := context.WithTimeout(m.n.ctx, time.Minute)
	defer cancel()
	return m.n.miner.SubmitWork(ctx, nonce, powHash, mix)
}

func (m rpcMiner) MiningInfo() rpcclient.MiningInfo {
	info := rpcclient.MiningInfo{BlockType: "PoW", Height: rpcclient.Uint64String(m.n.height())}
	if m.n.miner == nil {
		return info
	}
	mi, err := m.n.miner.Info()
	if err != nil {
		return info
	}
	info.IsMining = m.n.mining.Load()
	info.PaymentAddress = m.n.cfg.MineTo.String()
	if d, err := rpcclient.NewUint256String(mi.Bits.Big()); err == nil {
		info.Difficulty = d
	}
	return info
}

// syncInfo is getsyncinfo's answer.
func (n *Node) syncInfo() rpcclient.SyncInfo {
	h := n.height()
	best := max(n.bestHeader(), n.peersHeight())
	info := rpcclient.SyncInfo{Height: uint64(h), BestHeader: uint64(best), BlocksPerSecond: n.rate(),
		Syncing: best > h, Peers: len(n.srv.Peers())}
	if info.Syncing && info.BlocksPerSecond > 0 {
		info.ETASeconds = uint64(float64(best-h) / info.BlocksPerSecond)
	}
	return info
}
