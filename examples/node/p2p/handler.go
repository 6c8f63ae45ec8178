package p2p

import "github.com/mvsgo/mvs/wire"

// Handler receives what the peer layer does not handle itself: everything but version,
// verack, ping and pong. The node implements it; embed NoopHandler to implement only some
// methods.
//
// Every call for one peer is made on that peer's read goroutine, in arrival order, so a
// handler that blocks stalls only that peer (and TCP pushes back on it); a handler that
// needs long work should hand it off. Handlers may call p.Send, p.Misbehave and
// p.Disconnect.
type Handler interface {
	// OnReady: the handshake is complete and the peer is counted in Server.Peers.
	OnReady(p *Peer)
	// OnDone: the peer is gone; err is why (Peer.Err). Called only after OnReady.
	OnDone(p *Peer, err error)
	OnInv(p *Peer, m *wire.MsgInv)
	OnHeaders(p *Peer, m *wire.MsgHeaders)
	// OnBlock and OnTx receive only data this node requested with getdata: unrequested
	// data is dropped and scored. An invalid block or tx should be scored by the node
	// with p.Misbehave.
	OnBlock(p *Peer, m *wire.MsgBlock)
	OnTx(p *Peer, m *wire.MsgTx)
	OnGetData(p *Peer, m *wire.MsgGetData)
	OnGetHeaders(p *Peer, m *wire.MsgGetHeaders)
	OnGetBlocks(p *Peer, m *wire.MsgGetBlocks)
	// OnAddr sees an addr after the server stored what it accepts in its AddrBook.
	OnAddr(p *Peer, m *wire.MsgAddr)
	// OnGetAddr sees a getaddr after the server answered it (once per connection).
	OnGetAddr(p *Peer, m *wire.MsgGetAddr)
	OnMemPool(p *Peer, m *wire.MsgMemPool)
	OnNotFound(p *Peer, m *wire.MsgNotFound)
	// OnMessage receives every other command the reference knows (sendheaders, reject,
	// filters, merkleblock, compact blocks): the reference parses and ignores them.
	OnMessage(p *Peer, m wire.Message)
}

// NoopHandler ignores everything; embed it in a Handler to override only some methods.
type NoopHandler struct{}

func (NoopHandler) OnReady(*Peer)                           {}
func (NoopHandler) OnDone(*Peer, error)                     {}
func (NoopHandler) OnInv(*Peer, *wire.MsgInv)               {}
func (NoopHandler) OnHeaders(*Peer, *wire.MsgHeaders)       {}
func (NoopHandler) OnBlock(*Peer, *wire.MsgBlock)           {}
func (NoopHandler) OnTx(*Peer, *wire.MsgTx)                 {}
func (NoopHandler) OnGetData(*Peer, *wire.MsgGetData)       {}
func (NoopHandler) OnGetHeaders(*Peer, *wire.MsgGetHeaders) {}
func (NoopHandler) OnGetBlocks(*Peer, *wire.MsgGetBlocks)   {}
func (NoopHandler) OnAddr(*Peer, *wire.MsgAddr)             {}
func (NoopHandler) OnGetAddr(*Peer, *wire.MsgGetAddr)       {}
func (NoopHandler) OnMemPool(*Peer, *wire.MsgMemPool)       {}
func (NoopHandler) OnNotFound(*Peer, *wire.MsgNotFound)     {}
func (NoopHandler) OnMessage(*Peer, wire.Message)           {}
