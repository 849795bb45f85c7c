// The scan kernels have an SSE2 path (x86-64), a scalar one (other CPUs) and, for
// the leaf verdict, an AVX2 one chosen at run time; the Swift tests exercise only
// the one this machine runs. Built with and without __SSE2__ (and run with the
// argument `avx2` for the AVX2 verdicts and text windows), this prints a digest of the answers on
// 200,000 generated inputs (verdicts, dot counts, string ends, text windows and their loud bytes, plain words, with
// and without device prefixes); `make test` requires the digests to be equal.
#include "scan_kernels.h"
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    wc_verdict (*verdict)(const uint8_t *, size_t, size_t, const wc_device_prefixes *, int *) = wc_leaf_verdict;
    int avx2 = 0;
#if defined(WC_CHECK_AVX2)
    if (argc > 1 && strcmp(argv[1], "avx2") == 0) { verdict = wc_leaf_verdict_avx2; avx2 = 1; }
#else
    (void)argc; (void)argv; (void)avx2;
#endif
    // A deterministic generator; a small device prefix table (bitmap and slots) with four prefixes.
    uint64_t seed = 12345, h = 1469598103934665603ull;
    uint64_t bitmap[512] = {0}; uint32_t keys[64] = {0}; uint8_t used[64] = {0};
    for (int i = 0; i < 512; i++) bitmap[i] = (i % 7 == 0) ? 0x8000100020004001ull : 0;
    const char *pre[] = {"1391", "8612", "3f9a", "a450"};
    for (int i = 0; i < 4; i++) { const uint8_t *p = (const uint8_t *)pre[i]; uint32_t k = wc_prefix4(p);
        uint32_t bit = wc_device_prefix_bit(k); bitmap[bit >> 6] |= 1ull << (bit & 63);
        size_t s = (size_t)(((uint64_t)k * 0x9E3779B97F4A7C15ull) >> 40) & 63; while (used[s]) s = (s + 1) & 63; used[s] = 1; keys[s] = k; }
    // Shortest variants of four and of seven bytes.
    wc_device_prefixes dev = {bitmap, keys, used, 63, 4}, dev7 = {bitmap, keys, used, 63, 7};
    const char alphabet[] = "0123456789abcdefgzABCFGXYZ_-+/.@%=: \"'{[\\\x80\xe4\x7f\x01,;|}]`#$&*>?^~PpoOKk\xae\xdb\xfe";
    uint8_t buf[256];
    for (int round = 0; round < 200000; round++) {
        size_t n = 1 + (seed >> 33) % 140; seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        for (size_t i = 0; i < sizeof buf; i++) { seed = seed * 6364136223846793005ull + 1442695040888963407ull; buf[i] = (uint8_t)alphabet[(seed >> 33) % (sizeof alphabet - 1)]; }
        if (round % 5 == 0) memcpy(buf, "1391", 4);
        if (round % 7 == 0 && n >= 36) memcpy(buf, "dbd58ac9-ab34-4883-93c5-c0ae11cad74d", 36);
        // UUID-shaped: the dashes in place, hex between, now and then a letter past 'f'.
        if (round % 11 == 0) {
            const char hexish[] = "0123456789abcdefABCDEF";
            n = 36;
            for (size_t i = 0; i < 36; i++) {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                buf[i] = (uint8_t)hexish[(seed >> 33) % (sizeof hexish - 1)];
            }
            buf[8] = buf[13] = buf[18] = buf[23] = '-';
            if (round % 3 == 0) buf[(seed >> 40) % 8] = "gGzZ"[(seed >> 50) % 4];
        }
        // Hex ids of even length, some spelling text (high nibbles 2-7) or gzip/zlib (1f8b, 78).
        if (round % 13 == 0) {
            n = 16 + 2 * ((seed >> 35) % 25);
            for (size_t i = 0; i < n; i++) {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                buf[i] = (uint8_t)"0123456789abcdefABCDEF"[(seed >> 33) % 22];
                if ((round / 13) % 3 == 0 && i % 2 == 0) buf[i] = (uint8_t)('2' + (seed >> 45) % 6);
            }
            if ((round / 13) % 5 == 1) memcpy(buf, (round / 13) % 2 ? "1f8b" : "78", (round / 13) % 2 ? 4 : 2);
        }
        int dots; wc_verdict v = verdict(buf, n, sizeof buf, (round & 1) ? ((round & 2) ? &dev7 : &dev) : NULL, &dots);
        int esc; size_t e = wc_string_end(buf, n, 0, '"', &esc);
        uint64_t w, s; if (n < 64) wc_text_window_tail(buf, n, round & 1, &w, &s); else wc_text_window(buf, round & 1, &w, &s);
        h = (h ^ (uint64_t)v ^ ((uint64_t)dots << 8) ^ (e << 16) ^ ((uint64_t)esc << 40)) * 1099511628211ull;
        h = (h ^ w) * 1099511628211ull; h = (h ^ s) * 1099511628211ull;
        h = (h ^ (uint64_t)wc_plain_word(buf, 1 + n % 16, sizeof buf)) * 1099511628211ull;
        // The full text window (word, special, loud bytes) at an offset: one AVX2 pass, or SSE2/scalar twice.
        uint64_t fw, fs, fl;
#if defined(WC_CHECK_AVX2)
        if (avx2) wc_text_window_avx2(buf + n % 64, round & 1, &fw, &fs, &fl);
        else
#endif
        { wc_text_window(buf + n % 64, round & 1, &fw, &fs); fl = wc_text_loud(buf + n % 64); }
        h = (h ^ fw) * 1099511628211ull; h = (h ^ fs) * 1099511628211ull; h = (h ^ fl) * 1099511628211ull;
        // Nothing readable past the value: the kernels' copy paths (a buffer of exactly n bytes).
        uint8_t *exact = malloc(n);
        memcpy(exact, buf, n);
        int dots_exact; wc_verdict v_exact = verdict(exact, n, n, (round & 1) ? &dev7 : NULL, &dots_exact);
        h = (h ^ (uint64_t)v_exact ^ ((uint64_t)dots_exact << 8)) * 1099511628211ull;
        h = (h ^ (uint64_t)wc_plain_word(exact, n < 16 ? n : 16, n)) * 1099511628211ull;
        free(exact);
    }
    printf("%016llx\n", (unsigned long long)h);
    return 0;
}
