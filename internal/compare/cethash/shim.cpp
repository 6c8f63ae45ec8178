//go:build cethash

// The C API of the chfast/ethash version built for the comparison has no ethash_hash; this
// exposes its C++ ethash::hash (light hashimoto) to cgo.
#include <ethash/ethash.hpp>

extern "C" void mvs_cethash_hash(const ethash_epoch_context* ctx, const uint8_t header[32],
    uint64_t nonce, uint8_t mix[32])
{
    ethash::hash256 h{};
    for (int i = 0; i < 32; ++i)
        h.bytes[i] = header[i];
    const ethash::result r = ethash::hash(*ctx, h, nonce);
    for (int i = 0; i < 32; ++i)
        mix[i] = r.mix_hash.bytes[i];
}
