package chain

import (
	"fmt"
	"sync"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
)

// EventKind says what happened to a main-chain block.
type EventKind int

const (
	// Connected: the block became the main chain's tip.
	Connected EventKind = iota + 1
	// Disconnected: the block was the tip and was undone (a reorganisation).
	Disconnected
)

func (k EventKind) String() string {
	switch k {
	case Connected:
		return "connected"
	case Disconnected:
		return "disconnected"
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is one change of the main chain. A reorganisation is delivered as the
// disconnections, tip first, then the connections in height order; a reorganisation that
// failed and was rolled back is not delivered at all (the main chain did not change).
type Event struct {
	Kind   EventKind
	Block  *block.Block // shared between subscribers: read it, do not change it
	Hash   mvs.Hash
	Height uint32
}

// Subscription receives the main chain's events in order. Events is closed when the
// subscription ends; Err then says why: ErrSubscriberLagged (its buffer was full, so an
// event could not be delivered: resynchronise from the store), ErrClosed (the Chain was
// closed), or nil (Unsubscribe).
type Subscription struct {
	ch   chan Event
	mu   sync.Mutex
	done bool
	err  error
}

// Events is the channel of events, closed when the subscription ends.
func (s *Subscription) Events() <-chan Event { return s.ch }

// Err is why the subscription ended, valid once Events is closed.
func (s *Subscription) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// end closes the subscription with reason (once).
func (s *Subscription) end(reason error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return
	}
	s.done, s.err = true, reason
	close(s.ch)
}

// send delivers ev without blocking, or ends the subscription as lagged: an event is never
// skipped silently.
func (s *Subscription) send(ev Event) bool {
	s.mu.Lock()
	if s.done {
		s.mu.Unlock()
		return false
	}
	select {
	case s.ch <- ev:
		s.mu.Unlock()
		return true
	default:
		s.mu.Unlock()
		s.end(fmt.Errorf("%w: buffer of %d full at %s of block %d %s", ErrSubscriberLagged, cap(s.ch), ev.Kind, ev.Height, ev.Hash))
		return false
	}
}

// hub holds the subscriptions.
type hub struct {
	mu     sync.Mutex
	subs   map[*Subscription]struct{}
	closed bool
}

// Subscribe returns a subscription to the main chain's events with room for buffer events
// (at least 1). A subscriber that falls buffer events behind is closed with
// ErrSubscriberLagged rather than slowing block processing or missing events silently.
func (c *Chain) Subscribe(buffer int) *Subscription {
	s := &Subscription{ch: make(chan Event, max(buffer, 1))}
	c.hub.mu.Lock()
	defer c.hub.mu.Unlock()
	if c.hub.closed {
		s.end(ErrClosed)
		return s
	}
	c.hub.subs[s] = struct{}{}
	return s
}

// Unsubscribe ends s; its Events channel is closed and Err is nil.
func (c *Chain) Unsubscribe(s *Subscription) {
	c.hub.mu.Lock()
	delete(c.hub.subs, s)
	c.hub.mu.Unlock()
	s.end(nil)
}

// publish delivers evs in order to every subscription.
func (h *hub) publish(evs []Event) {
	if len(evs) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		for _, ev := range evs {
			if !s.send(ev) {
				delete(h.subs, s)
				break
			}
		}
	}
}

// subscribed reports whether anyone listens.
func (h *hub) subscribed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs) > 0
}

// endAll ends every subscription with reason; later ones are unaffected.
func (h *hub) endAll(reason error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		s.end(reason)
	}
	clear(h.subs)
}

// closeAll ends every subscription with ErrClosed.
func (h *hub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for s := range h.subs {
		s.end(ErrClosed)
	}
	clear(h.subs)
}

// netEvents cancels each event against an adjacent inverse one (a block disconnected and
// connected again by a rolled-back reorganisation), leaving what changed.
func netEvents(journal []Event) []Event {
	var out []Event
	for _, ev := range journal {
		if n := len(out); n > 0 && out[n-1].Hash == ev.Hash && out[n-1].Kind != ev.Kind {
			out = out[:n-1]
			continue
		}
		out = append(out, ev)
	}
	return out
}
