#!/usr/bin/env bash
# The SSE2, scalar and AVX2 paths of Sources/CScanKernels must give the same
# answers: builds Tests/Kernels/sse-matches-scalar.c with and without SSE2, runs
# the SSE2 build a second time on the AVX2 kernels (when this CPU has AVX2),
# and compares the digests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
include=Sources/CScanKernels/include
clang -O2 -DWC_CHECK_AVX2 -I "$include" Tests/Kernels/sse-matches-scalar.c Sources/CScanKernels/scan_kernels.c -o "$out/simd"
clang -O2 -U__SSE2__ -I "$include" Tests/Kernels/sse-matches-scalar.c -o "$out/scalar"
simd=$("$out/simd")
scalar=$("$out/scalar")
if [ "$simd" != "$scalar" ]; then
    echo "check-kernels: SSE2 and scalar kernels disagree (digests $simd and $scalar)" >&2
    exit 1
fi
echo "check-kernels: SSE2 and scalar kernels agree on 200000 inputs (digest $simd)"
if grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
    avx2=$("$out/simd" avx2)
    if [ "$avx2" != "$simd" ]; then
        echo "check-kernels: AVX2 kernels disagree with SSE2 (digests $avx2 and $simd)" >&2
        exit 1
    fi
    echo "check-kernels: AVX2 kernels agree with SSE2 (digest $avx2)"
else
    echo "check-kernels: this CPU has no AVX2; its AVX2 kernels were not checked"
fi
