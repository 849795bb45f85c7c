import WireBytes

/// An SSL 2.0 cipher kind (the 3-byte `CIPHER-KIND` of the SSL 2.0
/// specification, Appendix C), as a CLIENT-HELLO offers it, a SERVER-HELLO
/// lists it and a CLIENT-MASTER-KEY chooses it. Every one is broken: each
/// names what makes it so.
public struct SSLv2CipherKind: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    /// What is weak about a kind, as the report spells it.
    public enum Weakness: String, Sendable, CaseIterable {
        /// 40 secret key bits (the export restriction).
        case export40 = "EXPORT40"
        case rc4 = "RC4"
        case rc2 = "RC2"
        case idea = "IDEA"
        /// DES, single or triple: 56-bit keys or 64-bit blocks.
        case des = "DES"
        /// Records are authenticated with MD5.
        case md5 = "MD5"
    }

    struct Info {
        let name: String
        let weaknesses: [Weakness]
    }

    static let registry: [UInt32: Info] = [
        0x01_0080: Info(name: "SSL_CK_RC4_128_WITH_MD5", weaknesses: [.rc4, .md5]),
        0x02_0080: Info(name: "SSL_CK_RC4_128_EXPORT40_WITH_MD5", weaknesses: [.export40, .rc4, .md5]),
        0x03_0080: Info(name: "SSL_CK_RC2_128_CBC_WITH_MD5", weaknesses: [.rc2, .md5]),
        0x04_0080: Info(name: "SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5", weaknesses: [.export40, .rc2, .md5]),
        0x05_0080: Info(name: "SSL_CK_IDEA_128_CBC_WITH_MD5", weaknesses: [.idea, .md5]),
        0x06_0040: Info(name: "SSL_CK_DES_64_CBC_WITH_MD5", weaknesses: [.des, .md5]),
        0x07_00C0: Info(name: "SSL_CK_DES_192_EDE3_CBC_WITH_MD5", weaknesses: [.des, .md5]),
        0x08_0080: Info(name: "SSL_CK_RC4_64_WITH_MD5", weaknesses: [.rc4, .md5]),
    ]

    /// `SSL_CK_RC4_128_EXPORT40_WITH_MD5`, or `unknown-0x......`.
    public var name: String { Self.registry[rawValue]?.name ?? "unknown-\(hexCode)" }

    /// Every known kind is weak; an unknown one is judged by nothing.
    public var weaknesses: [Weakness] { Self.registry[rawValue]?.weaknesses ?? [] }

    /// `0x020080`.
    public var hexCode: String { "0x" + Hex.string([UInt8(rawValue >> 16 & 0xFF), UInt8(rawValue >> 8 & 0xFF), UInt8(rawValue & 0xFF)], uppercase: true) }
}

/// An SRTP protection profile negotiated by DTLS `use_srtp` (RFC 5764 §4.1.2,
/// RFC 7714 for the AEAD ones), as IANA's "DTLS-SRTP Protection Profiles" name them.
public struct SRTPProtectionProfile: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    static let names: [UInt16: String] = [
        0x0001: "SRTP_AES128_CM_HMAC_SHA1_80",
        0x0002: "SRTP_AES128_CM_HMAC_SHA1_32",
        0x0005: "SRTP_NULL_HMAC_SHA1_80",
        0x0006: "SRTP_NULL_HMAC_SHA1_32",
        0x0007: "SRTP_AEAD_AES_128_GCM",
        0x0008: "SRTP_AEAD_AES_256_GCM",
    ]

    public var name: String { Self.names[rawValue] ?? "unknown-\(Hex.code16(rawValue))" }
}
