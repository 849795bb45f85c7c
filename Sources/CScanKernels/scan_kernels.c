// Most kernels are `static inline` in include/scan_kernels.h. This file holds the
// ones compiled for a wider instruction set than the binary's baseline, chosen
// at run time (they cannot be inlined into baseline code).
#include "scan_kernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

int wc_avx2_available = 0;

__attribute__((constructor)) static void wc_detect_cpu(void) {
    __builtin_cpu_init();
    wc_avx2_available = __builtin_cpu_supports("avx2") ? 1 : 0;
}

#define AVX2 __attribute__((target("avx2")))

// The byte classes that are not ranges, as the AND of a table lookup by the low
// nibble and one by the high nibble: each bit is one rectangle of (high, low).
//   0x01: " % '  (2,{2,5,7})   0x02: : =  (3,{A,D})   0x04: [ {  ({5,7},B)
//   0x08: \  (5,C)   0x10: @  (4,0)   0x20: + - /  (2,{B,D,F})   0x40: _  (5,F)
//   0x80: .  (2,E)
// Bits 0x01-0x10 are the triggers, 0x20|0x40 the base64 extras. Non-ASCII bytes
// have a high nibble of 8-F, whose entries are zero.
#define CLASS_TRIGGER 0x1F
#define CLASS_EXTRA 0x60
#define LOW_NIBBLE_CLASSES 0x10, 0, 0x01, 0, 0, 0x01, 0, 0x01, 0, 0, 0x02, 0x24, 0x08, 0x22, 0x80, 0x60
#define HIGH_NIBBLE_CLASSES 0, 0, 0xA1, 0x02, 0x10, 0x4C, 0, 0x04, 0, 0, 0, 0, 0, 0, 0, 0

AVX2 static inline __m256i in_range32(__m256i x, uint8_t lo, uint8_t span) {
    __m256i t = _mm256_sub_epi8(x, _mm256_set1_epi8((char)lo));
    return _mm256_cmpeq_epi8(_mm256_min_epu8(t, _mm256_set1_epi8((char)span)), t);
}

AVX2 static inline uint64_t mask32(__m256i m) { return (uint64_t)(uint32_t)_mm256_movemask_epi8(m); }

AVX2 static inline void classify32(const uint8_t *p, unsigned shift, value_bits *v) {
    const __m256i x = _mm256_loadu_si256((const __m256i *)p);
    const __m256i low_table = _mm256_setr_epi8(LOW_NIBBLE_CLASSES, LOW_NIBBLE_CLASSES);
    const __m256i high_table = _mm256_setr_epi8(HIGH_NIBBLE_CLASSES, HIGH_NIBBLE_CLASSES);
    const __m256i nibble = _mm256_set1_epi8(0x0F), zero = _mm256_setzero_si256();
    __m256i classes = _mm256_and_si256(_mm256_shuffle_epi8(low_table, _mm256_and_si256(x, nibble)),
                                       _mm256_shuffle_epi8(high_table, _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble)));
    __m256i digit = in_range32(x, '0', 9), lower = _mm256_or_si256(x, _mm256_set1_epi8(0x20));
    __m256i alnum = _mm256_or_si256(digit, in_range32(lower, 'a', 25));
    __m256i hex = _mm256_or_si256(digit, in_range32(lower, 'a', 5));
    uint64_t trigger = ~mask32(_mm256_cmpeq_epi8(_mm256_and_si256(classes, _mm256_set1_epi8(CLASS_TRIGGER)), zero));
    uint64_t extra = ~mask32(_mm256_cmpeq_epi8(_mm256_and_si256(classes, _mm256_set1_epi8(CLASS_EXTRA)), zero));
    v->alnum |= mask32(alnum) << shift;
    v->digit |= mask32(digit) << shift;
    v->hex |= mask32(hex) << shift;
    v->extra |= (extra & 0xFFFFFFFFu) << shift;
    // '_' is 0x40 and '.' 0x80: doubling moves the first into the sign bit the movemask reads.
    v->underscore |= mask32(_mm256_add_epi8(classes, classes)) << shift;
    v->dot |= mask32(classes) << shift;
    v->trigger |= (trigger & 0xFFFFFFFFu) << shift;
    v->probe |= (mask32(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('+'))) | mask32(x)) << shift;
}

/// `classify` in 32-byte steps.
AVX2 static inline void classify_avx2(const uint8_t *b, size_t n, size_t readable, value_bits *v) {
    memset(v, 0, sizeof *v);
    const uint8_t *p = b;
    uint8_t copy[64];
    if (readable < (n > 32 ? 64 : 32)) {
        memset(copy, 0, sizeof copy);
        memcpy(copy, b, n);
        p = copy;
    }
    classify32(p, 0, v);
    if (n > 32) classify32(p + 32, 32, v);
    keep_first(v, n);
}

AVX2 wc_verdict wc_leaf_verdict_avx2(const uint8_t *b, size_t n, size_t readable,
                                     const wc_device_prefixes *device, int *dots_seen) {
    return leaf_verdict_using(classify_avx2, b, n, readable, device, dots_seen);
}

// The bytes of `wc_text_loud` by the same nibble lookup: 0x01 is (2,{2,5,7,B,D,F})
// " % ' + - /, 0x02 (3,{A,D}) : =, 0x04 (5,{C,F}) \ _.
#define LOUD_LOW 0, 0, 0x01, 0, 0, 0x01, 0, 0x01, 0, 0, 0x02, 0x01, 0x04, 0x03, 0, 0x05
#define LOUD_HIGH 0, 0, 0x01, 0x02, 0, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0

/// `wc_text_window` and `wc_text_loud` of the 32 bytes at `p`, as bits `shift`... of each mask.
AVX2 static inline void text32(const uint8_t *p, unsigned shift, int device, uint64_t *word, uint64_t *special, uint64_t *loud) {
    const __m256i x = _mm256_loadu_si256((const __m256i *)p);
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    __m256i alnum = _mm256_or_si256(in_range32(x, '0', 9), in_range32(_mm256_or_si256(x, _mm256_set1_epi8(0x20)), 'a', 25));
    __m256i s = _mm256_cmpeq_epi8(x, _mm256_set1_epi8('@'));
    if (device) s = _mm256_or_si256(_mm256_or_si256(s, x), _mm256_or_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('%')),
                                                                          _mm256_cmpeq_epi8(x, _mm256_set1_epi8('+'))));
    __m256i classes = _mm256_and_si256(
        _mm256_shuffle_epi8(_mm256_setr_epi8(LOUD_LOW, LOUD_LOW), _mm256_and_si256(x, nibble)),
        _mm256_shuffle_epi8(_mm256_setr_epi8(LOUD_HIGH, LOUD_HIGH), _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble)));
    *word |= mask32(alnum) << shift;
    *special |= mask32(s) << shift;
    *loud |= (~mask32(_mm256_cmpeq_epi8(classes, _mm256_setzero_si256())) & 0xFFFFFFFFu) << shift;
}

AVX2 void wc_text_window_avx2(const uint8_t *b, int device, uint64_t *word, uint64_t *special, uint64_t *loud) {
    uint64_t w = 0, sp = 0, l = 0;
    text32(b, 0, device, &w, &sp, &l);
    text32(b + 32, 32, device, &w, &sp, &l);
    *word = w;
    *special = sp;
    *loud = l;
}

#else

int wc_avx2_available = 0;

void wc_text_window_avx2(const uint8_t *b, int device, uint64_t *word, uint64_t *special, uint64_t *loud) {
    wc_text_window(b, device, word, special);
    *loud = wc_text_loud(b);
}

wc_verdict wc_leaf_verdict_avx2(const uint8_t *b, size_t n, size_t readable,
                                const wc_device_prefixes *device, int *dots_seen) {
    return wc_leaf_verdict(b, n, readable, device, dots_seen);
}

#endif
