#!/usr/bin/env bash
# The SSE2 and scalar paths of Sources/CScanKernels must give the same answers:
# builds Tests/Kernels/sse-matches-scalar.c both ways and compares the digests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
include=Sources/CScanKernels/include
clang -O2 -I "$include" Tests/Kernels/sse-matches-scalar.c -o "$out/simd"
clang -O2 -U__SSE2__ -I "$include" Tests/Kernels/sse-matches-scalar.c -o "$out/scalar"
simd=$("$out/simd")
scalar=$("$out/scalar")
if [ "$simd" != "$scalar" ]; then
    echo "check-kernels: SSE2 and scalar kernels disagree (digests $simd and $scalar)" >&2
    exit 1
fi
echo "check-kernels: SSE2 and scalar kernels agree on 200000 inputs (digest $simd)"
