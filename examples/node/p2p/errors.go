package p2p

import (
	"errors"
	"fmt"
)

// Reasons a peer is refused or disconnected. Peer.Err returns one of them (wrapped with
// detail) or a wire error (wire.ErrBadMagic, wire.ErrBadChecksum, ...) for a framing fault,
// so the node can tell them apart with errors.Is.
var (
	// ErrQueueFull: the peer's send queue is over its message or byte cap (the reference
	// closes a channel with more than 500 queued messages). Send returns it and the peer is
	// disconnected: a peer that does not read must not make us hold unbounded memory.
	ErrQueueFull = errors.New("p2p: peer send queue full")
	// ErrHandshakeTimeout: version and verack did not both arrive within the handshake
	// deadline (30 s by default, channel_handshake_seconds).
	ErrHandshakeTimeout = errors.New("p2p: handshake timed out")
	// ErrSelfConnection: the remote version carried a nonce this server sent itself.
	ErrSelfConnection = errors.New("p2p: connected to self")
	// ErrDuplicatePeer: a connection to the same IP:port already exists.
	ErrDuplicatePeer = errors.New("p2p: duplicate connection")
	// ErrBanned: the peer's IP is banned (or was banned while connected).
	ErrBanned = errors.New("p2p: peer banned")
	// ErrPongMismatch: a pong whose nonce is not the one of our outstanding ping.
	ErrPongMismatch = errors.New("p2p: pong nonce mismatch")
	// ErrProtocol: a message out of order: anything but version before version, a second
	// version or verack, or a verack before version.
	ErrProtocol = errors.New("p2p: protocol violation")
	// ErrObsoleteVersion: the peer's protocol version is below 60001 (no ping nonce), so
	// liveness could not be checked.
	ErrObsoleteVersion = errors.New("p2p: peer protocol version too old")
	// ErrTooManyPeers: the connection limits are reached.
	ErrTooManyPeers = errors.New("p2p: too many peers")
	// ErrServerClosed: the server is closed or was never started.
	ErrServerClosed = errors.New("p2p: server closed")
	// ErrDisconnected: the peer was disconnected on request (Disconnect, Close, context end).
	ErrDisconnected = errors.New("p2p: disconnected")
	// ErrIdleTimeout: nothing was received within IdleTimeout, or one queued message could
	// not be written within WriteTimeout (the peer stopped reading).
	ErrIdleTimeout = errors.New("p2p: peer inactive")
	// ErrExpired: the connection reached its lifetime (MaxLifetime, randomized to between
	// half and all of it, as the reference's channel expiration) and is dropped so that the
	// node's peers rotate.
	ErrExpired = errors.New("p2p: connection lifetime expired")
	// ErrInvalidAddress: an address that is not an ip:port, or not routable for this
	// server (loopback and private ranges are refused unless AllowLocal is set).
	ErrInvalidAddress = errors.New("p2p: invalid address")
	// ErrInvalidConfig: a configuration value out of range.
	ErrInvalidConfig = errors.New("p2p: invalid configuration")
)

// MisbehaviorError is the disconnect reason of a peer whose score reached BanThreshold.
// errors.Is(err, ErrBanned) is true, and it unwraps to the fault that tipped the score
// when there was one (wire.ErrBadMagic, for example).
type MisbehaviorError struct {
	Score  int
	Reason string // the last offence
	Err    error  // the last offence's error, or nil
}

func (e *MisbehaviorError) Error() string {
	return fmt.Sprintf("p2p: misbehaving peer banned (score %d, last: %s)", e.Score, e.Reason)
}

// Is makes errors.Is(err, ErrBanned) true.
func (e *MisbehaviorError) Is(target error) bool { return target == ErrBanned }

// Unwrap returns the fault's error.
func (e *MisbehaviorError) Unwrap() error { return e.Err }

// FileError reports a malformed line of an address-book or ban-list file.
type FileError struct {
	Path string
	Line int
	Err  error
}

func (e *FileError) Error() string {
	return fmt.Sprintf("p2p: %s line %d: %v", e.Path, e.Line, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }
