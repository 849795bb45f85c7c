import WireBytes

/// A cipher suite code point. Unknown values stay representable and print as
/// `unknown-0x....`, so a capture with a private or future suite is reported,
/// not dropped.
public struct CipherSuite: RawRepresentable, Hashable, Sendable, Comparable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static func < (lhs: CipherSuite, rhs: CipherSuite) -> Bool { lhs.rawValue < rhs.rawValue }

    /// RFC 8701 GREASE values (0x?A?A) carry no meaning and are left out of
    /// fingerprints and judgements.
    public var isGREASE: Bool { isGREASEValue(rawValue) }

    /// `0xC02F`: the IANA registry's spelling.
    public var hexCode: String { Hex.code16(rawValue) }

    public var info: Info? { CipherSuite.lookup(rawValue) }

    public var name: String { info?.name ?? (isGREASE ? "GREASE-\(hexCode)" : "unknown-\(hexCode)") }

    /// The decomposition of one suite, as the registry's name spells it.
    public struct Info: Sendable {
        public let id: UInt16
        public let name: String
        public let keyExchange: KeyExchange
        public let authentication: Authentication
        public let cipher: BulkCipher
        public let mac: MACAlgorithm
        /// EXPORT-grade (40/56-bit) suites, whose keys were crippled by design.
        public let isExport: Bool

        public init(_ id: UInt16, _ name: String, kx: KeyExchange, au: Authentication, enc: BulkCipher, mac: MACAlgorithm, export: Bool = false) {
            self.id = id
            self.name = name
            self.keyExchange = kx
            self.authentication = au
            self.cipher = enc
            self.mac = mac
            self.isExport = export
        }
    }

    static func lookup(_ id: UInt16) -> Info? {
        let table = CipherSuite.registry
        var low = 0
        var high = table.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let candidate = table[mid].id
            if candidate == id { return table[mid] }
            if candidate < id { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }
}

/// How the premaster secret is agreed.
public enum KeyExchange: String, Sendable {
    case null = "NULL"
    /// Static RSA key transport: no forward secrecy.
    case rsa = "RSA"
    case dh = "DH"          // static (EC)DH with a certificate key
    case dhe = "DHE"
    case ecdh = "ECDH"
    case ecdhe = "ECDHE"
    case psk = "PSK"
    case dhePSK = "DHE_PSK"
    case ecdhePSK = "ECDHE_PSK"
    case rsaPSK = "RSA_PSK"
    case srp = "SRP"
    case krb5 = "KRB5"
    case gost = "GOST"
    case eccpwd = "ECCPWD"
    /// TLS 1.3 suites name no key exchange: it is negotiated in key_share.
    case tls13 = "TLS13"
    /// TLCP (GB/T 38636) ECC: SM2 key transport to the server's encryption certificate.
    case sm2 = "SM2"
    /// TLCP ECDHE: SM2 key agreement, needs client sign and enc certificates.
    case sm2dhe = "SM2DHE"
    case ibc = "IBC"
    case ibsdh = "IBSDH"
    case unknown = "unknown"
}

/// How the server proves who it is.
public enum Authentication: String, Sendable {
    /// No authentication at all: `NULL` suites.
    case null = "NULL"
    /// Anonymous (DH_anon, ECDH_anon): anyone in the middle can answer.
    case anonymous = "anon"
    case rsa = "RSA"
    case dss = "DSS"
    case ecdsa = "ECDSA"
    case psk = "PSK"
    case srp = "SRP"
    case krb5 = "KRB5"
    case gost = "GOST"
    case sm2 = "SM2"
    case ibc = "IBC"
    /// TLS 1.3: the certificate's key decides.
    case tls13 = "TLS13"
    case unknown = "unknown"
}

/// The record protection cipher.
public enum BulkCipher: String, Sendable {
    case null = "NULL"
    case rc2_40 = "RC2_CBC_40"
    case rc2 = "RC2_CBC"
    case rc4_40 = "RC4_40"
    case rc4_56 = "RC4_56"
    case rc4_128 = "RC4_128"
    case des40 = "DES40_CBC"
    case des = "DES_CBC"
    case des_cbc_40 = "DES_CBC_40"
    case tripleDES = "3DES_EDE_CBC"
    case idea = "IDEA_CBC"
    case seed = "SEED_CBC"
    case fortezza = "FORTEZZA_CBC"
    case aes128cbc = "AES_128_CBC"
    case aes256cbc = "AES_256_CBC"
    case aes128gcm = "AES_128_GCM"
    case aes256gcm = "AES_256_GCM"
    case aes128ccm = "AES_128_CCM"
    case aes128ccm8 = "AES_128_CCM_8"
    case aes256ccm = "AES_256_CCM"
    case aes256ccm8 = "AES_256_CCM_8"
    case camellia128cbc = "CAMELLIA_128_CBC"
    case camellia256cbc = "CAMELLIA_256_CBC"
    case camellia128gcm = "CAMELLIA_128_GCM"
    case camellia256gcm = "CAMELLIA_256_GCM"
    case aria128cbc = "ARIA_128_CBC"
    case aria256cbc = "ARIA_256_CBC"
    case aria128gcm = "ARIA_128_GCM"
    case aria256gcm = "ARIA_256_GCM"
    case chacha20poly1305 = "CHACHA20_POLY1305"
    case sm4cbc = "SM4_CBC"
    case sm4gcm = "SM4_GCM"
    case sm4ccm = "SM4_CCM"
    case gost28147 = "28147_CNT"
    case kuznyechik = "KUZNYECHIK"
    case magma = "MAGMA"
    case unknown = "unknown"
}

/// The record MAC, or for AEAD suites the PRF/HKDF hash.
public enum MACAlgorithm: String, Sendable {
    case null = "NULL"
    case md5 = "MD5"
    case sha1 = "SHA"
    case sha256 = "SHA256"
    case sha384 = "SHA384"
    case sm3 = "SM3"
    case gostr3411 = "GOSTR3411"
    /// AEAD suite whose name carries no MAC (e.g. `_CCM`): the PRF is SHA-256.
    case aead = "AEAD"
    case unknown = "unknown"
}

@inlinable
public func isGREASEValue(_ value: UInt16) -> Bool {
    (value & 0x0F0F) == 0x0A0A && (value >> 8) == (value & 0xFF)
}

