import CertificateModel
/// Approximate security strength in bits, after NIST SP 800-57 Part 1 Rev. 5,
/// Table 2 ("Comparable security strengths of symmetric block cipher and
/// asymmetric-key algorithms").
///
/// Finite-field / integer-factorisation keys (RSA, DSA, DH), by modulus or p size L:
///
/// | L      | strength |
/// |--------|----------|
/// | 1024   | 80       |
/// | 2048   | 112      |
/// | 3072   | 128      |
/// | 7680   | 192      |
/// | 15360  | 256      |
///
/// Formula: for 1024 ≤ L ≤ 15360, linear interpolation between the two
/// surrounding table points, rounded down (so 4096 → 142, 1536 → 96);
/// for L < 1024, `L / 16` (a rough floor: 512 → 32); for L > 15360, 256 (capped).
///
/// Elliptic-curve keys: half the curve size, rounded down (`f / 2`, so
/// P-256 → 128, P-521 → 260). Fixed values: SM2 128, Ed25519 128, X25519 128,
/// Ed448 224, X448 224.
enum SecurityStrength {
    static let finiteFieldTable: [(bits: Int, strength: Int)] = [
        (1024, 80), (2048, 112), (3072, 128), (7680, 192), (15360, 256),
    ]

    static func finiteField(_ bits: Int) -> Int {
        if bits < 1024 { return max(bits, 0) / 16 }
        if bits >= 15360 { return 256 }
        for k in 1..<finiteFieldTable.count where bits <= finiteFieldTable[k].bits {
            let lo = finiteFieldTable[k - 1], hi = finiteFieldTable[k]
            return lo.strength + (bits - lo.bits) * (hi.strength - lo.strength) / (hi.bits - lo.bits)
        }
        return 256
    }

    static func ellipticCurve(_ bits: Int) -> Int { bits / 2 }
}
