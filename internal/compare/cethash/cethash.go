//go:build cethash

package cethash

/*
#cgo CXXFLAGS: -std=c++14 -O3 -DNDEBUG
#include <stdint.h>
#include <ethash/ethash.h>
void mvs_cethash_hash(const struct ethash_epoch_context* ctx, const uint8_t header[32], uint64_t nonce, uint8_t mix[32]);
*/
import "C"

import (
	"errors"
	"unsafe"
)

// Context is a chfast/ethash light context (its epoch cache).
type Context struct {
	c *C.struct_ethash_epoch_context
}

// NewContext builds the light context of an epoch.
func NewContext(epoch int) (*Context, error) {
	c := C.ethash_create_epoch_context(C.int(epoch))
	if c == nil {
		return nil, errors.New("ethash_create_epoch_context failed")
	}
	return &Context{c: c}, nil
}

// Close frees the context.
func (x *Context) Close() { C.ethash_destroy_epoch_context(x.c) }

// Hash is ethash::hash, light hashimoto, returning the mix digest.
func (x *Context) Hash(header [32]byte, nonce uint64) (mix [32]byte) {
	C.mvs_cethash_hash(x.c, (*C.uint8_t)(unsafe.Pointer(&header[0])), C.uint64_t(nonce), (*C.uint8_t)(unsafe.Pointer(&mix[0])))
	return mix
}
