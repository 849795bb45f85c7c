// Byte-classification kernels for the PI scanner's hot paths, in C for the
// SIMD compare-and-movemask the Swift standard library does not expose.
// Pure functions over borrowed bytes; no allocation. The SSE2 (and scalar)
// kernels are `static inline` in this header, so Swift inlines them into its
// loops (a call per JSON value costs as much as the classification); the AVX2
// ones live in scan_kernels.c, compiled for AVX2 and called through the `_best`
// dispatchers below when `wc_avx2_available` (the one global, set at load time).
#ifndef WIRECHECK_SCAN_KERNELS_H
#define WIRECHECK_SCAN_KERNELS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
    /// The shortest variant's length (at least 4): no variant starts closer to a value's end.
    size_t min_length;
} wc_device_prefixes;

/// The longest value `wc_leaf_verdict` classifies; longer ones are always `full`.
#define WC_LEAF_VERDICT_LIMIT 128

/// The verdict for the `n` bytes at `b` (`full` beyond WC_LEAF_VERDICT_LIMIT), of which `readable` (>= n) may be loaded.
/// `device`: the device list's prefixes, or NULL without a device list.
/// `*dots_seen`: the number of '.' bytes when the whole value was classified, -1 otherwise.
static inline wc_verdict wc_leaf_verdict(const uint8_t *b, size_t n, size_t readable,
                                         const wc_device_prefixes *device, int *dots_seen);

/// `wc_leaf_verdict` with 32-byte AVX2 steps and a nibble-table byte classification
/// (scan_kernels.c; call only where `wc_avx2_available` says the CPU has AVX2).
wc_verdict wc_leaf_verdict_avx2(const uint8_t *b, size_t n, size_t readable,
                                const wc_device_prefixes *device, int *dots_seen);

/// Set once at load time: whether this CPU runs `wc_leaf_verdict_avx2`.
extern int wc_avx2_available;

/// `wc_leaf_verdict` on the widest path this CPU has (the answers are the same:
/// scripts/check-kernels.sh compares them on generated inputs).
static inline wc_verdict wc_leaf_verdict_best(const uint8_t *b, size_t n, size_t readable,
                                              const wc_device_prefixes *device, int *dots_seen) {
    if (wc_avx2_available) return wc_leaf_verdict_avx2(b, n, readable, device, dots_seen);
    return wc_leaf_verdict(b, n, readable, device, dots_seen);
}

/// Whether some variant of the device list starts with the four bytes at `b`.
static inline int wc_device_prefix_known(const wc_device_prefixes *device, const uint8_t *b);

/// The index of the quote that closes a string starting at `from` (escaped quotes
/// skipped), or `n` when it is not closed; `*escaped` says whether a backslash was seen.
static inline size_t wc_string_end(const uint8_t *b, size_t n, size_t from, uint8_t quote, int *escaped);

/// What the `n` (1...16) bytes at `b`, of which `readable` may be loaded, are: 2 when
/// all ASCII letters and digits, 1 when letters, digits, '_' and '-' with at least
/// one of the latter, 0 otherwise (a short plain word, which the leaf verdict calls
/// quiet unless a device variant starts in it).
static inline int wc_plain_word(const uint8_t *b, size_t n, size_t readable);

/// For the text scan, the 64 bytes at `b`: `*word` gets a bit per ASCII letter or
/// digit, `*special` one per '@' and, when `device` is set, per '%', '+' and
/// non-ASCII byte (where a device variant may start outside a word).
static inline void wc_text_window(const uint8_t *b, int device, uint64_t *word, uint64_t *special);

/// `wc_text_window` for the last `n` (< 64) bytes of a buffer.
static inline void wc_text_window_tail(const uint8_t *b, size_t n, int device, uint64_t *word, uint64_t *special);

/// For the text scan, a bit per byte of the 64 at `b` that makes a neighbouring short
/// word worth a look: the base64 extras `+ / - _`, the value leads `= : " '`, and
/// `%` `\` (escapes). A window with none, no '@' and no long word holds only short
/// words between quiet bytes, which the scan skips at once.
static inline uint64_t wc_text_loud(const uint8_t *b);

/// `wc_text_window` and `wc_text_loud` of the same 64 bytes in one AVX2 pass
/// (scan_kernels.c; only where `wc_avx2_available`).
void wc_text_window_avx2(const uint8_t *b, int device, uint64_t *word, uint64_t *special, uint64_t *loud);

/// `wc_text_window` and `wc_text_loud` on the widest path this CPU has.
static inline void wc_text_window_best(const uint8_t *b, int device, uint64_t *word, uint64_t *special, uint64_t *loud) {
    if (wc_avx2_available) { wc_text_window_avx2(b, device, word, special, loud); return; }
    wc_text_window(b, device, word, special);
    *loud = wc_text_loud(b);
}

/// The four bytes at `b` as a little-endian word (DeviceVariantIndex.prefix4).
static inline uint32_t wc_prefix4(const uint8_t *b) {
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/// The bit (0 ..< 2^15) of the device prefix bitmap for a prefix.
static inline uint32_t wc_device_prefix_bit(uint32_t prefix) { return (prefix * 0x9E3779B1u) >> 17; }

/// Where a prefix's slot search starts in the prefix table of `mask + 1` slots (linear probing).
static inline size_t wc_device_prefix_slot(uint32_t prefix, size_t mask) {
    return (size_t)(((uint64_t)prefix * 0x9E3779B97F4A7C15ull) >> 40) & mask;
}

// MARK: Implementation

/// One bit per byte (bit k = byte k) of up to 64 bytes of a value.
typedef struct {
    uint64_t alnum;    // ASCII letters and digits
    uint64_t digit;    // 0-9
    uint64_t hex;      // 0-9 a-f A-F
    uint64_t extra;    // + / - _ (base64 and base64url extras)
    uint64_t underscore; // _
    uint64_t dot;      // .
    uint64_t trigger;  // @ % = : " ' { [ \ : each starts something by itself
    uint64_t probe;    // + and non-ASCII bytes: where the scanner also probes the device index
} value_bits;

#if defined(__SSE2__)
static inline __m128i in_range(__m128i x, uint8_t lo, uint8_t span) {
    __m128i t = _mm_sub_epi8(x, _mm_set1_epi8((char)lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8((char)span)), t);
}

static inline __m128i eq(__m128i x, char c) { return _mm_cmpeq_epi8(x, _mm_set1_epi8(c)); }

static inline void classify16(const uint8_t *p, unsigned shift, value_bits *v) {
    __m128i x = _mm_loadu_si128((const __m128i *)p);
    __m128i digit = in_range(x, '0', 9), lower = _mm_or_si128(x, _mm_set1_epi8(0x20));
    __m128i alnum = _mm_or_si128(digit, in_range(lower, 'a', 25));
    __m128i hex = _mm_or_si128(digit, in_range(lower, 'a', 5));
    __m128i plus = eq(x, '+');
    __m128i underscore = eq(x, '_');
    __m128i extra = _mm_or_si128(_mm_or_si128(eq(x, '-'), underscore), _mm_or_si128(plus, eq(x, '/')));
    __m128i trig = _mm_or_si128(_mm_or_si128(_mm_or_si128(eq(x, '@'), eq(x, '%')), _mm_or_si128(eq(x, '='), eq(x, ':'))),
                                _mm_or_si128(_mm_or_si128(eq(x, '"'), eq(x, '\'')),
                                             _mm_or_si128(_mm_or_si128(eq(x, '{'), eq(x, '[')), eq(x, '\\'))));
    v->alnum |= (uint64_t)(uint32_t)_mm_movemask_epi8(alnum) << shift;
    v->digit |= (uint64_t)(uint32_t)_mm_movemask_epi8(digit) << shift;
    v->hex |= (uint64_t)(uint32_t)_mm_movemask_epi8(hex) << shift;
    v->extra |= (uint64_t)(uint32_t)_mm_movemask_epi8(extra) << shift;
    v->underscore |= (uint64_t)(uint32_t)_mm_movemask_epi8(underscore) << shift;
    v->dot |= (uint64_t)(uint32_t)_mm_movemask_epi8(eq(x, '.')) << shift;
    v->trigger |= (uint64_t)(uint32_t)_mm_movemask_epi8(trig) << shift;
    v->probe |= (uint64_t)(uint32_t)(_mm_movemask_epi8(plus) | _mm_movemask_epi8(x)) << shift;
}
#endif

/// Clears the bits of bytes past the first `n` (garbage or padding the chunks read).
static inline void keep_first(value_bits *v, size_t n) {
    uint64_t valid = n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
    v->alnum &= valid;
    v->digit &= valid;
    v->hex &= valid;
    v->extra &= valid;
    v->underscore &= valid;
    v->dot &= valid;
    v->trigger &= valid;
    v->probe &= valid;
}

static inline __attribute__((always_inline)) void classify(const uint8_t *b, size_t n, size_t readable, value_bits *v) {
    memset(v, 0, sizeof *v);
#if defined(__SSE2__)
    size_t chunks = (n + 15) / 16;
    const uint8_t *p = b;
    uint8_t copy[64];
    if (readable < chunks * 16) {
        memset(copy, 0, sizeof copy);
        memcpy(copy, b, n);
        p = copy;
    }
    for (size_t k = 0; k < chunks; k++) classify16(p + 16 * k, (unsigned)(16 * k), v);
#else
    (void)readable;
    for (size_t k = 0; k < n; k++) {
        uint8_t c = b[k];
        uint64_t bit = (uint64_t)1 << k;
        uint8_t lower = c | 0x20;
        if ((uint8_t)(c - '0') < 10 || (uint8_t)(lower - 'a') < 26) v->alnum |= bit;
        if ((uint8_t)(c - '0') < 10) v->digit |= bit;
        if ((uint8_t)(c - '0') < 10 || (uint8_t)(lower - 'a') < 6) v->hex |= bit;
        switch (c) {
        case '+': v->extra |= bit; v->probe |= bit; break;
        case '_': v->extra |= bit; v->underscore |= bit; break;
        case '-': case '/': v->extra |= bit; break;
        case '.': v->dot |= bit; break;
        case '@': case '%': case '=': case ':': case '"': case '\'': case '{': case '[': case '\\': v->trigger |= bit; break;
        default: if (c >= 0x80) v->probe |= bit;
        }
    }
#endif
    keep_first(v, n);
}

/// Whether `bits` holds a run of at least `length` (1...32) consecutive ones.
static inline int has_run(uint64_t bits, unsigned length) {
    uint64_t m = bits;
    unsigned have = 1;
    while (have * 2 <= length) { m &= m >> have; have *= 2; }
    if (have < length) m &= m >> (length - have);
    return m != 0;
}

static inline int wc_device_prefix_known(const wc_device_prefixes *device, const uint8_t *b) {
    uint32_t key = wc_prefix4(b);
    size_t slot = wc_device_prefix_slot(key, device->slot_mask);
    while (device->slot_used[slot]) {
        if (device->slot_keys[slot] == key) return 1;
        slot = (slot + 1) & device->slot_mask;
    }
    return 0;
}

/// The '-' positions of a UUID (8-4-4-4-12).
#define UUID_DASHES ((uint64_t)1 << 8 | (uint64_t)1 << 13 | (uint64_t)1 << 18 | (uint64_t)1 << 23)

/// The device probes among `probes` (bit k = byte `b + k`): the bitmap first, with no
/// branch per probe (the loads overlap); the few positions it lets through are
/// confirmed against the prefixes themselves.
static inline int probe_device(const wc_device_prefixes *device, const uint8_t *b, uint64_t probes) {
    uint64_t passed = 0;
    while (probes) {
        unsigned at = (unsigned)__builtin_ctzll(probes);
        uint32_t bit = wc_device_prefix_bit(wc_prefix4(b + at));
        passed |= ((device->bitmap[bit >> 6] >> (bit & 63)) & 1) << at;
        probes &= probes - 1;
    }
    while (passed) {
        if (wc_device_prefix_known(device, b + __builtin_ctzll(passed))) return 1;
        passed &= passed - 1;
    }
    return 0;
}

/// Whether the token check would decode an even-length hex run (Inspection.decodeRun):
/// its first bytes are a gzip or zlib header (1f8b, 78), or the high nibbles of its
/// first eight bytes are all 2-7, as in hex-encoded text.
static inline int hex_may_hide_text(const uint8_t *b, size_t n) {
    if ((b[0] == '1' && (b[1] | 0x20) == 'f') || (b[0] == '7' && b[1] == '8')) return 1;
    size_t m = n < 16 ? n : 16;
    for (size_t k = 0; k < m; k += 2)
        if ((uint8_t)(b[k] - '2') > 5) return 0;
    return 1;
}

/// Bits 32..63 of `lo` and 0..31 of `hi` side by side: a run across the words'
/// boundary with up to 32 bits on each side (a longer part lies in one word).
static inline uint64_t junction(uint64_t lo, uint64_t hi) { return lo >> 32 | hi << 32; }

static inline uint64_t low_bits(size_t count) { return count >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << count) - 1; }

/// The verdict from the bitmaps of bytes 0..<64 (`v`, `n_lo` of them) and 64..<128
/// (`w`, `n_hi`). Inlined twice: with `w` all zero for the common short value, the
/// second word's terms fold away.
static inline __attribute__((always_inline)) wc_verdict decide(const uint8_t *b, size_t n, const value_bits *v,
                                                                size_t n_lo, const value_bits *w, size_t n_hi,
                                                                const wc_device_prefixes *device, int *dots_seen) {
    if (v->trigger | w->trigger) return WC_VERDICT_FULL;
    // (Base x86-64 has no POPCNT instruction: count only when there is something to count.)
    int dots = (v->dot ? __builtin_popcountll(v->dot) : 0) + (w->dot ? __builtin_popcountll(w->dot) : 0);
    *dots_seen = dots;
    if (device) {
        // Where the scanner probes: token starts, '+' and non-ASCII bytes, as long as
        // the shortest variant still fits before the end (most short values: nowhere).
        size_t fit = n + 1 > device->min_length ? n + 1 - device->min_length : 0;
        uint64_t starts_lo = v->alnum & ~(v->alnum << 1);
        uint64_t probes_lo = (starts_lo | v->probe) & low_bits(fit);
        if (probes_lo && probe_device(device, b, probes_lo)) return WC_VERDICT_FULL;
        if (n_hi && fit > 64) {
            uint64_t starts_hi = w->alnum & ~(w->alnum << 1 | v->alnum >> 63);
            uint64_t probes_hi = (starts_hi | w->probe) & low_bits(fit - 64);
            if (probe_device(device, b + 64, probes_hi)) return WC_VERDICT_FULL;
        }
    }
    // A bare UUID: the text scan reads it as one unit and reports it only under a
    // key that names it (its 12-character group is not a token of its own).
    if (n == 36 && v->extra == UUID_DASHES && (v->hex | UUID_DASHES) == low_bits(36)
        && b[8] == '-' && b[13] == '-' && b[18] == '-' && b[23] == '-')
        return WC_VERDICT_QUIET;
    int long_alnum = has_run(v->alnum, 11) || (n_hi && (has_run(w->alnum, 11) || has_run(junction(v->alnum, w->alnum), 11)));
    if (v->extra == 0 && w->extra == 0 && dots == 0 && v->alnum == low_bits(n_lo) && w->alnum == low_bits(n_hi)) {
        if (!long_alnum) return WC_VERDICT_QUIET;
        if (n > 64) return WC_VERDICT_FULL;
        // A trace or request id: even-length hex with a letter. All the token check
        // does with one is ask whether the hex spells text or a compressed stream.
        if (n >= 16 && !(n & 1) && v->hex == low_bits(n) && v->digit != v->hex && !hex_may_hide_text(b, n))
            return WC_VERDICT_QUIET;
        return WC_VERDICT_SINGLE_TOKEN;
    }
    if (n >= 40 && dots >= 8) return WC_VERDICT_FULL;
    if (long_alnum) return WC_VERDICT_FULL;
    if (n_hi == 0 && v->underscore && v->extra == v->underscore && (v->alnum | v->underscore) == low_bits(n_lo)) {
        // Words joined by '_' (flag_1234_5ab3c9): one base64url run, whose words are all
        // too short to be anything. What the text scan would do is decode the run from
        // its first letter or digit, when it is long enough.
        if (v->alnum == 0 || n - (size_t)__builtin_ctzll(v->alnum) < 16) return WC_VERDICT_QUIET;
        return WC_VERDICT_ENCODED_RUN;
    }
    uint64_t run_lo = v->alnum | v->extra, run_hi = w->alnum | w->extra;
    if (has_run(run_lo, 16) || (n_hi && (has_run(run_hi, 16) || has_run(junction(run_lo, run_hi), 16))))
        return WC_VERDICT_FULL;
    return WC_VERDICT_QUIET;
}

/// The verdict with `classify_value` as the byte classifier (SSE2/scalar here, AVX2 in
/// scan_kernels.c): inlined into each caller, the classifier with it.
typedef void (*wc_classify_fn)(const uint8_t *b, size_t n, size_t readable, value_bits *v);
static inline __attribute__((always_inline)) wc_verdict leaf_verdict_using(wc_classify_fn classify_value, const uint8_t *b,
                                                                            size_t n, size_t readable,
                                                                            const wc_device_prefixes *device, int *dots_seen) {
    *dots_seen = -1;
    if (n == 0) return WC_VERDICT_QUIET;
    value_bits v;
    if (n <= 64) {
        static const value_bits none;
        classify_value(b, n, readable, &v);
        return decide(b, n, &v, n, &none, 0, device, dots_seen);
    }
    // Longer values hold several tokens or prose: the scanner's own windows are the better filter.
    if (n > WC_LEAF_VERDICT_LIMIT) return WC_VERDICT_FULL;
    value_bits w;
    classify_value(b, 64, readable, &v);
    classify_value(b + 64, n - 64, readable - 64, &w);
    return decide(b, n, &v, 64, &w, n - 64, device, dots_seen);
}

static inline wc_verdict wc_leaf_verdict(const uint8_t *b, size_t n, size_t readable,
                           const wc_device_prefixes *device, int *dots_seen) {
    return leaf_verdict_using(classify, b, n, readable, device, dots_seen);
}


static inline size_t wc_string_end(const uint8_t *b, size_t n, size_t from, uint8_t quote, int *escaped) {
    size_t j = from;
    *escaped = 0;
#if defined(__SSE2__)
    const __m128i q = _mm_set1_epi8((char)quote), bs = _mm_set1_epi8('\\');
    while (j + 16 <= n) {
        __m128i x = _mm_loadu_si128((const __m128i *)(b + j));
        unsigned quotes = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, q));
        unsigned slashes = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, bs));
        if (!(quotes | slashes)) { j += 16; continue; }
        // A quote before any backslash closes the string.
        if (quotes && (!slashes || __builtin_ctz(quotes) < __builtin_ctz(slashes))) return j + (size_t)__builtin_ctz(quotes);
        // A backslash first: it escapes the next byte.
        *escaped = 1;
        j += (size_t)__builtin_ctz(slashes) + 2;
    }
#endif
    while (j < n) {
        if (b[j] == quote) return j;
        if (b[j] == '\\') { *escaped = 1; j += 2; } else j++;
    }
    return n;
}

static inline int wc_plain_word(const uint8_t *b, size_t n, size_t readable) {
    unsigned want = (1u << n) - 1;
#if defined(__SSE2__)
    if (readable >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)b);
        unsigned alnum = (unsigned)_mm_movemask_epi8(_mm_or_si128(in_range(x, '0', 9), in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 25))) & want;
        if (alnum == want) return 2;
        unsigned joiners = (unsigned)_mm_movemask_epi8(_mm_or_si128(eq(x, '_'), eq(x, '-')));
        return ((alnum | joiners) & want) == want;
    }
#endif
    (void)want; (void)readable;
    int joined = 0;
    for (size_t k = 0; k < n; k++) {
        uint8_t c = b[k];
        if (c == '_' || c == '-') joined = 1;
        else if (!((uint8_t)(c - '0') < 10 || (uint8_t)((c | 0x20) - 'a') < 26)) return 0;
    }
    return joined ? 1 : 2;
}

static inline void wc_text_window(const uint8_t *b, int device, uint64_t *word, uint64_t *special) {
    uint64_t w = 0, sp = 0;
#if defined(__SSE2__)
    for (unsigned k = 0; k < 4; k++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(b + 16 * k));
        __m128i alnum = _mm_or_si128(in_range(x, '0', 9), in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 25));
        __m128i s = eq(x, '@');
        if (device) s = _mm_or_si128(_mm_or_si128(s, x), _mm_or_si128(eq(x, '%'), eq(x, '+')));
        w |= (uint64_t)(uint32_t)_mm_movemask_epi8(alnum) << (16 * k);
        sp |= (uint64_t)(uint32_t)_mm_movemask_epi8(s) << (16 * k);
    }
#else
    for (unsigned k = 0; k < 64; k++) {
        uint8_t c = b[k];
        if ((uint8_t)(c - '0') < 10 || (uint8_t)((c | 0x20) - 'a') < 26) w |= (uint64_t)1 << k;
        else if (c == '@' || (device && (c == '%' || c == '+' || c >= 0x80))) sp |= (uint64_t)1 << k;
    }
#endif
    *word = w;
    *special = sp;
}

static inline uint64_t wc_text_loud(const uint8_t *b) {
    uint64_t loud = 0;
#if defined(__SSE2__)
    for (unsigned k = 0; k < 4; k++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(b + 16 * k));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_or_si128(eq(x, '+'), eq(x, '/')), _mm_or_si128(eq(x, '-'), eq(x, '_'))),
                                 _mm_or_si128(_mm_or_si128(_mm_or_si128(eq(x, '='), eq(x, ':')), _mm_or_si128(eq(x, '"'), eq(x, '\''))),
                                              _mm_or_si128(eq(x, '%'), eq(x, '\\'))));
        loud |= (uint64_t)(uint32_t)_mm_movemask_epi8(m) << (16 * k);
    }
#else
    for (unsigned k = 0; k < 64; k++) {
        switch (b[k]) {
        case '+': case '/': case '-': case '_': case '=': case ':': case '"': case '\'': case '%': case '\\':
            loud |= (uint64_t)1 << k;
        }
    }
#endif
    return loud;
}

static inline void wc_text_window_tail(const uint8_t *b, size_t n, int device, uint64_t *word, uint64_t *special) {
    // Copied into zeros: no class has the zero byte.
    uint8_t copy[64] = {0};
    memcpy(copy, b, n < 64 ? n : 64);
    wc_text_window(copy, device, word, special);
}

#endif
