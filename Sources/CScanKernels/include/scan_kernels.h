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
    /// Letters, digits and '_' only, no word of 11 or more: one base64url run to decode.
    WC_VERDICT_ENCODED_RUN = 3,
} wc_verdict;

/// The four-byte prefixes of a device list's variants (DeviceVariantIndex.Lookup): a
/// 2^15-bit bitmap of their hashes to filter, and the open-addressing table of the
/// prefixes themselves to confirm (a hash collision must not cost a full scan).
typedef struct {
    const uint64_t *bitmap;
    const uint32_t *slot_keys;
    const uint8_t *slot_used;
    size_t slot_mask;
} wc_device_prefixes;

/// The longest value `wc_leaf_verdict` classifies; longer ones are always `full`.
#define WC_LEAF_VERDICT_LIMIT 128

/// The verdict for the `n` bytes at `b` (`full` beyond WC_LEAF_VERDICT_LIMIT), of which `readable` (>= n) may be loaded.
/// `device`: the device list's prefixes, or NULL without a device list.
/// `*dots_seen`: the number of '.' bytes when the whole value was classified, -1 otherwise.
wc_verdict wc_leaf_verdict(const uint8_t *b, size_t n, size_t readable,
                           const wc_device_prefixes *device, int *dots_seen);

/// Whether some variant of the device list starts with the four bytes at `b`.
int wc_device_prefix_known(const wc_device_prefixes *device, const uint8_t *b);

/// The index of the first `quote` or backslash byte in `b[from ..< n]`, or `n`.
size_t wc_quote_or_backslash(const uint8_t *b, size_t n, size_t from, uint8_t quote);

/// The four bytes at `b` as a little-endian word (DeviceVariantIndex.prefix4).
static inline uint32_t wc_prefix4(const uint8_t *b) {
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/// The bit (0 ..< 2^15) of the device prefix bitmap for a prefix (Lookup.prefixBit).
static inline uint32_t wc_device_prefix_bit(uint32_t prefix) { return (prefix * 0x9E3779B1u) >> 17; }

#endif
