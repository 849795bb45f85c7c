// Byte-classification kernels for the PI scanner's hot paths, in C for the
// SIMD compare-and-movemask the Swift standard library does not expose.
// Pure functions over borrowed bytes; no allocation, no global state.
#ifndef WIRECHECK_SCAN_KERNELS_H
#define WIRECHECK_SCAN_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// What a short value needs from the scanner (see Inspection.leafVerdict).
typedef enum {
    WC_VERDICT_QUIET = 0,
    WC_VERDICT_SINGLE_TOKEN = 1,
    WC_VERDICT_FULL = 2,
} wc_verdict;

/// The verdict for the `n` (<= 64) bytes at `b`, of which `readable` (>= n) may be loaded.
/// `device_bitmap`: the device index's 2^15-bit prefix bitmap, or NULL without a device list.
/// `*dots_seen`: the number of '.' bytes when the whole value was classified, -1 otherwise.
wc_verdict wc_leaf_verdict(const uint8_t *b, size_t n, size_t readable,
                           const uint64_t *device_bitmap, int *dots_seen);

/// The index of the first `quote` or backslash byte in `b[from ..< n]`, or `n`.
size_t wc_quote_or_backslash(const uint8_t *b, size_t n, size_t from, uint8_t quote);

/// The bit (0 ..< 2^15) of the device prefix bitmap for the four bytes at `b`.
static inline uint32_t wc_device_prefix_bit(const uint8_t *b) {
    uint32_t x = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return (x * 0x9E3779B1u) >> 17;
}

#endif
