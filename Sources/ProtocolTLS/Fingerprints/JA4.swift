import TLSModel
import WireBytes
import Crypto

/// FoxIO JA4 (TLS client fingerprint), per technical_details/JA4.md of
/// FoxIO-LLC/ja4:
///
/// `ja4_a` = protocol (`t`: TLS over TCP) + 2-character version + `d` (SNI
/// extension present) or `i` + 2-digit cipher count + 2-digit extension
/// count (GREASE not counted, capped at 99, SNI and ALPN counted) + first and
/// last characters of the first ALPN value (`00` when none).
///
/// `ja4_b` = first 12 hex of SHA-256 of the non-GREASE cipher suites as
/// 4-digit lowercase hex, sorted, comma-joined; `000000000000` when none.
///
/// `ja4_c` = first 12 hex of SHA-256 of the non-GREASE extension types
/// except SNI (0000) and ALPN (0010), sorted, comma-joined, then `_` and the
/// signature_algorithms values in wire order (no `_` when there are none);
/// `000000000000` when the sorted extension list is empty.
public enum JA4 {
    /// The version field: the highest non-GREASE supported_versions value,
    /// else the legacy (ClientHello) version.
    public static func versionCode(_ version: UInt16) -> String {
        switch version {
        case 0x0304: "13"
        case 0x0303: "12"
        case 0x0302: "11"
        case 0x0301: "10"
        case 0x0300: "s3"
        case 0x0002: "s2"
        case 0xFEFF: "d1"
        case 0xFEFD: "d2"
        case 0xFEFC: "d3"
        default: "00"
        }
    }

    /// The ALPN characters: `00` when there is no value or the first is empty;
    /// the first and last byte when both are ASCII alphanumeric (a single
    /// byte counts as both); otherwise the first and last character of the
    /// value's lowercase hex.
    public static func alpnCode(_ first: [UInt8]?) -> String {
        guard let value = first, let head = value.first, let tail = value.last else { return "00" }
        if isAlphanumeric(head) && isAlphanumeric(tail) {
            return String(decoding: [head, tail], as: UTF8.self)
        }
        let hex = Array(Hex.string(value).utf8)
        return String(decoding: [hex[0], hex[hex.count - 1]], as: UTF8.self)
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    static func twoDigits(_ count: Int) -> String {
        let capped = min(count, 99)
        return capped < 10 ? "0\(capped)" : "\(capped)"
    }

    static func hex4(_ value: UInt16) -> String {
        Hex.string([UInt8(value >> 8), UInt8(value & 0xFF)])
    }

    /// First 12 lowercase hex characters of SHA-256 of `string`, or
    /// `000000000000` when `string` is empty.
    public static func truncatedHash(_ string: String) -> String {
        guard !string.isEmpty else { return "000000000000" }
        return String(Hex.string(SHA256.hash(data: Array(string.utf8))).prefix(12))
    }
}

extension ClientHello {
    /// The non-GREASE parts JA4 is made of.
    struct JA4Parts {
        var a: String
        var ciphers: String
        var extensions: String
        var signatureAlgorithms: String
    }

    func ja4Parts(transport: Character = "t") -> JA4Parts {
        let versions = supportedVersions.map(\.rawValue).filter { !isGREASEValue($0) }
        let version = versions.max() ?? legacyVersion.rawValue
        let ciphers = cipherSuites.map(\.rawValue).filter { !isGREASEValue($0) }
        let extensions = extensionTypes.filter { !isGREASEValue($0) }
        let sni: Character = extensionTypes.contains(ExtensionType.serverName.rawValue) ? "d" : "i"
        let a = "\(transport)\(JA4.versionCode(version))\(sni)\(JA4.twoDigits(ciphers.count))"
            + "\(JA4.twoDigits(extensions.count))\(JA4.alpnCode(alpnRaw.first))"
        let sortedCiphers = ciphers.sorted().map(JA4.hex4).joined(separator: ",")
        let sortedExtensions = extensions
            .filter { $0 != ExtensionType.serverName.rawValue && $0 != ExtensionType.alpn.rawValue }
            .sorted().map(JA4.hex4).joined(separator: ",")
        let signatures = signatureAlgorithms.map(\.rawValue).filter { !isGREASEValue($0) }
            .map(JA4.hex4).joined(separator: ",")
        return JA4Parts(a: a, ciphers: sortedCiphers, extensions: sortedExtensions, signatureAlgorithms: signatures)
    }

    /// FoxIO JA4 for TLS over TCP, e.g. `t13d1516h2_8daaf6152771_e5627efa2ab1`.
    public var ja4: String { ja4(transport: "t") }

    /// `transport`: `t` for TCP, `q` for QUIC, `d` for DTLS (FoxIO JA4 §"QUIC and DTLS").
    public func ja4(transport: Character) -> String {
        let parts = ja4Parts(transport: transport)
        let b = JA4.truncatedHash(parts.ciphers)
        let c: String
        if parts.extensions.isEmpty {
            c = "000000000000"
        } else if parts.signatureAlgorithms.isEmpty {
            c = JA4.truncatedHash(parts.extensions)
        } else {
            c = JA4.truncatedHash(parts.extensions + "_" + parts.signatureAlgorithms)
        }
        return "\(parts.a)_\(b)_\(c)"
    }

    /// `ja4_r`: the same fields unhashed,
    /// `t13d1516h2_002f,0035,…_0005,000a,…_0403,0804,…` (the last `_` part
    /// only when signature algorithms were sent).
    public var ja4Raw: String {
        let parts = ja4Parts()
        var raw = "\(parts.a)_\(parts.ciphers)_\(parts.extensions)"
        if !parts.signatureAlgorithms.isEmpty { raw += "_" + parts.signatureAlgorithms }
        return raw
    }
}
