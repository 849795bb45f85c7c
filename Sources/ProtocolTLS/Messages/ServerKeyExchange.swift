import TLSModel
import WireBytes

/// The ServerKeyExchange message of SSL 3.0 to TLS 1.2 and TLCP. Its layout
/// depends on the negotiated suite, so the caller passes the suite's key
/// exchange and authentication and the negotiated version.
///
/// RFC 5246 §7.4.3:
/// ```
/// struct {
///     opaque dh_p<1..2^16-1>;
///     opaque dh_g<1..2^16-1>;
///     opaque dh_Ys<1..2^16-1>;
/// } ServerDHParams;     /* Ephemeral DH parameters */
///
/// struct {
///     select (KeyExchangeAlgorithm) {
///         case dh_anon:
///             ServerDHParams params;
///         case dhe_dss:
///         case dhe_rsa:
///             ServerDHParams params;
///             digitally-signed struct {
///                 opaque client_random[32];
///                 opaque server_random[32];
///                 ServerDHParams params;
///             } signed_params;
///         case rsa:
///         case dh_dss:
///         case dh_rsa:
///             struct {} ;
///     };
/// } ServerKeyExchange;
/// ```
/// `digitally-signed` is, in TLS 1.2 (RFC 5246 §4.7),
/// `struct { SignatureAndHashAlgorithm algorithm; opaque signature<0..2^16-1>; }`
/// and before TLS 1.2 only `opaque signature<0..2^16-1>`.
///
/// RSA export (RFC 4346 §7.4.3):
/// ```
/// struct {
///     opaque rsa_modulus<1..2^16-1>;
///     opaque rsa_exponent<1..2^16-1>;
/// } ServerRSAParams;
/// ```
/// ECDHE (RFC 8422 §5.4; explicit curves from RFC 4492 §5.4):
/// ```
/// enum { explicit_prime (1), explicit_char2 (2), named_curve (3),
///        reserved(248..255), (255) } ECCurveType;
/// struct {
///     ECCurveType    curve_type;
///     select (curve_type) {
///         case named_curve:
///             NamedCurve namedcurve;
///     };
/// } ECParameters;
/// struct { opaque point <1..2^8-1>; } ECPoint;
/// struct {
///     ECParameters    curve_params;
///     ECPoint         public;
/// } ServerECDHParams;
/// select (KeyExchangeAlgorithm) {
///     case ec_diffie_hellman:
///         ServerECDHParams    params;
///         Signature           signed_params;
/// } ServerKeyExchange;
/// ```
/// PSK (RFC 4279 §2, §3, §4; RFC 5489 §2):
/// ```
/// struct {
///     select (KeyExchangeAlgorithm) {
///         case psk:  /* NOTE: not present unless the server provides a hint */
///         case rsa_psk:
///             opaque psk_identity_hint<0..2^16-1>;
///         case diffie_hellman_psk:
///             opaque psk_identity_hint<0..2^16-1>;
///             ServerDHParams params;
///         case ec_diffie_hellman_psk:
///             opaque psk_identity_hint<0..2^16-1>;
///             ServerECDHParams params;
///     };
/// } ServerKeyExchange;
/// ```
/// SRP (RFC 5054 §2.8.1): `opaque srp_N<1..2^16-1>; opaque srp_g<1..2^16-1>;
/// opaque srp_s<1..2^8-1>; opaque srp_B<1..2^16-1>;` then a signature for
/// SRP_SHA_RSA / SRP_SHA_DSS.
///
/// TLCP (GB/T 38636-2020 §6.4.5.4): for ECC (SM2 key transport) only
/// `digitally-signed struct { ... } signed_params;` i.e. `opaque
/// signature<0..2^16-1>` over the randoms and the encryption certificate; for
/// ECDHE: `ECParameters curve_params; ECPoint public;` then that signature.
/// TLCP signatures carry no algorithm field.
extension ServerKeyExchange {
    public init(parsing r: inout ByteReader, keyExchange: KeyExchange, authentication: Authentication,
                version: ProtocolVersion) throws(ParseError) {
        self.init()
        parameters = .unknown
        signatureScheme = nil
        signatureLength = nil
        isSigned = false
        pskIdentityHintLength = nil
        publicValueLength = nil
        var signed: Bool
        switch authentication {
        case .anonymous, .null, .psk, .srp: signed = false
        default: signed = true
        }

        switch keyExchange {
        case .dhe:
            parameters = try readDHParams(&r)
        case .ecdhe:
            parameters = try readECDHParams(&r)
        case .rsa:
            // Only export suites (or a >512-bit key under one) send temporary RSA parameters.
            let modulus = try WireVectors.readOpaque(&r, prefixBytes: 2)
            _ = try WireVectors.skipOpaque(&r, prefixBytes: 2)
            parameters = .rsaExport(modulusBits: WireVectors.bitLength(of: modulus))
        case .psk, .rsaPSK:
            let hint = try WireVectors.skipOpaque(&r, prefixBytes: 2)
            pskIdentityHintLength = hint
            parameters = .psk(hintLength: hint)
            signed = false
        case .dhePSK:
            pskIdentityHintLength = try WireVectors.skipOpaque(&r, prefixBytes: 2)
            parameters = try readDHParams(&r)
            signed = false
        case .ecdhePSK:
            pskIdentityHintLength = try WireVectors.skipOpaque(&r, prefixBytes: 2)
            parameters = try readECDHParams(&r)
            signed = false
        case .srp:
            let prime = try WireVectors.readOpaque(&r, prefixBytes: 2)
            _ = try WireVectors.skipOpaque(&r, prefixBytes: 2)   // g
            _ = try WireVectors.skipOpaque(&r, prefixBytes: 1)   // s
            publicValueLength = try WireVectors.skipOpaque(&r, prefixBytes: 2)  // B
            parameters = .srp(primeBits: WireVectors.bitLength(of: prime))
            signed = authentication == .rsa || authentication == .dss
        case .sm2:
            parameters = .tlcpECC
            signed = true
        case .sm2dhe:
            parameters = try readECDHParams(&r)
            signed = true
        default:
            // No known layout (static DH/ECDH send none, GOST, KRB5, IBC, TLS 1.3 …).
            try r.skip(r.remaining)
            return
        }

        if signed {
            let hasAlgorithm = !version.isTLCP && version.rank >= ProtocolVersion.tls12.rank
            if hasAlgorithm {
                signatureScheme = SignatureScheme(rawValue: try r.readUInt16())
            }
            signatureLength = try WireVectors.skipOpaque(&r, prefixBytes: 2)
            isSigned = true
        }
        try r.expectEnd("ServerKeyExchange")
    }

    @_lifetime(r: copy r)
    private mutating func readDHParams(_ r: inout ByteReader) throws(ParseError) -> Parameters {
        let p = try WireVectors.readOpaque(&r, prefixBytes: 2)
        let g = try WireVectors.readOpaque(&r, prefixBytes: 2)
        publicValueLength = try WireVectors.skipOpaque(&r, prefixBytes: 2)
        return .dhe(primeBits: WireVectors.bitLength(of: p), generatorBits: WireVectors.bitLength(of: g))
    }

    @_lifetime(r: copy r)
    private mutating func readECDHParams(_ r: inout ByteReader) throws(ParseError) -> Parameters {
        let at = r.absoluteOffset
        let curveType = try r.readUInt8()
        var group: NamedGroup?
        switch curveType {
        case 3:  // named_curve
            group = NamedGroup(rawValue: try r.readUInt16())
        case 1:  // explicit_prime: prime_p, curve {a, b}, base, order, cofactor
            _ = try WireVectors.skipOpaque(&r, prefixBytes: 1)
            try Self.skipExplicitCurveTail(&r)
        case 2:  // explicit_char2: m, basis (k | k1 k2 k3), curve, base, order, cofactor
            _ = try r.readUInt16()
            let basisAt = r.absoluteOffset
            let basis = try r.readUInt8()
            switch basis {
            case 1: _ = try WireVectors.skipOpaque(&r, prefixBytes: 1)
            case 2: for _ in 0..<3 { _ = try WireVectors.skipOpaque(&r, prefixBytes: 1) }
            default: throw ParseError.invalid("unknown ECBasisType \(basis)", at: basisAt)
            }
            try Self.skipExplicitCurveTail(&r)
        default:
            throw ParseError.invalid("unknown ECCurveType \(curveType)", at: at)
        }
        publicValueLength = try WireVectors.skipOpaque(&r, prefixBytes: 1)
        return .ecdhe(curveType: curveType, group: group)
    }

    /// RFC 4492 §5.4: `ECCurve curve; ECPoint base; opaque order<1..2^8-1>;
    /// opaque cofactor<1..2^8-1>;` with `struct { opaque a<1..2^8-1>; opaque
    /// b<1..2^8-1>; } ECCurve;`
    @_lifetime(r: copy r)
    private static func skipExplicitCurveTail(_ r: inout ByteReader) throws(ParseError) {
        for _ in 0..<5 { _ = try WireVectors.skipOpaque(&r, prefixBytes: 1) }
    }
}
