import WireBytes

/// TLS `NamedGroup` (formerly "elliptic curves"): key exchange groups.
public struct NamedGroup: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public struct Info: Sendable {
        public let id: UInt16
        public let name: String
        public let kind: Kind
        /// Classical security strength in bits (NIST SP 800-57 equivalence):
        /// secp256r1 → 128, ffdhe2048 → 112. Nil where no equivalence is published.
        public let strengthBits: Int?
        /// Key or field size in bits as usually quoted (256 for secp256r1, 2048 for ffdhe2048).
        public let sizeBits: Int?

        public init(_ id: UInt16, _ name: String, kind: Kind, strength: Int?, size: Int?) {
            self.id = id
            self.name = name
            self.kind = kind
            self.strengthBits = strength
            self.sizeBits = size
        }
    }

    public enum Kind: String, Sendable {
        case ellipticCurve = "ec"
        case finiteField = "ffdhe"
        case hybridPostQuantum = "hybrid"
        case postQuantum = "pq"
        case unknown
    }

    public var isGREASE: Bool { isGREASEValue(rawValue) }
    public var info: Info? { NamedGroup.registry.first { $0.id == rawValue } }
    public var name: String { info?.name ?? (isGREASE ? "GREASE-\(Hex.code16(rawValue))" : "unknown-\(Hex.code16(rawValue))") }
}

/// TLS 1.2 `SignatureAndHashAlgorithm` / TLS 1.3 `SignatureScheme`.
public struct SignatureScheme: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public struct Info: Sendable {
        public let id: UInt16
        public let name: String
        public let hash: SignatureHash
        public let algorithm: SignatureAlgorithmFamily
        public init(_ id: UInt16, _ name: String, hash: SignatureHash, algorithm: SignatureAlgorithmFamily) {
            self.id = id
            self.name = name
            self.hash = hash
            self.algorithm = algorithm
        }
    }

    public var isGREASE: Bool { isGREASEValue(rawValue) }

    /// The registry entry, or for TLS 1.2 pairs the registry does not list
    /// (e.g. `dsa_sha256` = 0x0402) a decomposition of the hash and signature bytes.
    public var info: Info? {
        if let known = SignatureScheme.registry.first(where: { $0.id == rawValue }) { return known }
        let hashByte = UInt8(rawValue >> 8)
        let signatureByte = UInt8(rawValue & 0xFF)
        guard let hash = SignatureHash(tls12Code: hashByte),
              let family = SignatureAlgorithmFamily(tls12Code: signatureByte) else { return nil }
        return Info(rawValue, "\(family.rawValue)_\(hash.rawValue)", hash: hash, algorithm: family)
    }

    public var name: String { info?.name ?? (isGREASE ? "GREASE-\(Hex.code16(rawValue))" : "unknown-\(Hex.code16(rawValue))") }
}

/// The digest inside a signature; what §1's "SHA-256 or stronger, no MD4/MD5/SHA-1" judges.
public enum SignatureHash: String, Sendable, CaseIterable {
    case none
    case md5
    case sha1
    case sha224
    case sha256
    case sha384
    case sha512
    case sm3
    case md5sha1 = "md5_sha1"
    /// The algorithm hashes internally (Ed25519, Ed448): not a weak hash.
    case intrinsic
    case gostr34112012_256 = "gostr34112012_256"
    case gostr34112012_512 = "gostr34112012_512"
    case unknown

    /// TLS 1.2 `HashAlgorithm` byte (RFC 5246 §7.4.1.4.1).
    public init?(tls12Code: UInt8) {
        switch tls12Code {
        case 0: self = .none
        case 1: self = .md5
        case 2: self = .sha1
        case 3: self = .sha224
        case 4: self = .sha256
        case 5: self = .sha384
        case 6: self = .sha512
        case 8: self = .intrinsic
        default: return nil
        }
    }
}

public enum SignatureAlgorithmFamily: String, Sendable {
    case anonymous = "anonymous"
    case rsa = "rsa"
    case rsaPSS = "rsa_pss"
    case dsa = "dsa"
    case ecdsa = "ecdsa"
    case ed25519
    case ed448
    case sm2
    case gost = "gostr34102012"
    case mldsa = "mldsa"
    case unknown

    /// TLS 1.2 `SignatureAlgorithm` byte (RFC 5246 §7.4.1.4.1, RFC 8422).
    public init?(tls12Code: UInt8) {
        switch tls12Code {
        case 0: self = .anonymous
        case 1: self = .rsa
        case 2: self = .dsa
        case 3: self = .ecdsa
        case 7: self = .ed25519
        case 8: self = .ed448
        default: return nil
        }
    }
}

/// Alert descriptions (RFC 8446 §6 and the IANA registry).
public struct AlertDescription: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public var name: String {
        AlertDescription.registry.first { $0.0 == rawValue }?.1 ?? "unknown-\(rawValue)"
    }
}

/// Hello extension types.
public struct ExtensionType: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public var isGREASE: Bool { isGREASEValue(rawValue) }
    public var name: String {
        ExtensionType.registry.first { $0.0 == rawValue }?.1 ?? (isGREASE ? "GREASE" : "unknown-\(rawValue)")
    }

    public static let serverName = ExtensionType(rawValue: 0)
    public static let supportedGroups = ExtensionType(rawValue: 10)
    public static let ecPointFormats = ExtensionType(rawValue: 11)
    public static let signatureAlgorithms = ExtensionType(rawValue: 13)
    public static let alpn = ExtensionType(rawValue: 16)
    public static let supportedVersions = ExtensionType(rawValue: 43)
    public static let keyShare = ExtensionType(rawValue: 51)
    public static let signatureAlgorithmsCert = ExtensionType(rawValue: 50)
}
