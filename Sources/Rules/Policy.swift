import Facts
import TLSModel
import CertificateModel

/// Suite categories a policy can name (see `tls.client_offer_weak_categories`).
public enum SuiteCategory: String, CaseIterable, Sendable {
    case null, anonymous, export, rc4
    case weakBlockCipher = "weak_block_cipher"
    case md5MAC = "md5_mac"
    case sha1MAC = "sha1_mac"
    case staticRSA = "static_rsa"

    /// The categories a suite falls into; empty for a suite with nothing weak.
    public static func categories(of info: CipherSuite.Info) -> [SuiteCategory] {
        // Signalling values (SCSVs) are not suites anyone can negotiate.
        if info.id == 0x00FF || info.id == 0x5600 { return [] }
        var found: [SuiteCategory] = []
        if info.cipher == .null { found.append(.null) }
        if info.authentication == .anonymous || (info.authentication == .null && info.keyExchange != .tls13) { found.append(.anonymous) }
        if info.isExport { found.append(.export) }
        switch info.cipher {
        case .rc4_40, .rc4_56, .rc4_128: found.append(.rc4)
        case .des, .des40, .des_cbc_40, .tripleDES, .rc2, .rc2_40, .idea: found.append(.weakBlockCipher)
        default: break
        }
        if info.mac == .md5 { found.append(.md5MAC) }
        if info.mac == .sha1 { found.append(.sha1MAC) }
        if info.keyExchange == .rsa && info.authentication == .rsa { found.append(.staticRSA) }
        return found
    }
}

/// A loaded policy: thresholds and per-rule overrides. Mechanism (parsers)
/// knows nothing of it; the rules read it.
public struct Policy: Sendable {
    public var name: String
    public var description: String
    /// SHA-256 of the policy file's bytes, for the report's evidence header.
    public var sha256: String
    public var source: String

    public var minimumVersion: ProtocolVersion = .tls12
    public var forbiddenHandshakeHashes: Set<SignatureHash> = [.md5, .sha1, .md5sha1]
    public var minimumDHBits = 2048
    public var minimumECStrengthForKeyExchange = 128
    public var clientOfferWeakCategories: Set<SuiteCategory> = [.null, .anonymous, .export, .rc4, .weakBlockCipher, .md5MAC]

    public var minimumRSABits = 2048
    public var minimumDSABits = 2048
    public var minimumECStrengthForCertificates = 128
    public var acceptSM2 = true
    public var forbiddenCertificateHashes: Set<SignatureDigest> = [.md2, .md4, .md5, .sha1]
    public var judgeTrustAnchorSelfSignature = false
    public var checkValidityPeriod = true

    /// PI types judged as sensitive (WC-PI-001) rather than ordinary (WC-PI-002).
    public var sensitivePITypes: Set<PIType> = Set(PIType.allCases.filter(\.isSensitiveByDefault))
    /// Pattern-only hits below this confidence are not reported (confirmed ones always are).
    public var minimumPIConfidence = 0.5
    public var inspectUDP = true
    public var inspectPersonalInformation = true

    /// SDK categories that may talk before the user consents (WC-CON-001); none by default.
    public var allowedBeforeConsent: Set<String> = []
    /// WC-FRQ-001: more than `frequencyMaximum` sightings of one type to one recipient within the window.
    public var frequencyWindowSeconds = 60
    public var frequencyMaximum = 10
    public var frequencyTypes: Set<PIType> = [.coordinates]

    /// The engine's caps (`limits:`, docs/limits.md); nil keeps the built-in value.
    public var limits = PolicyLimits()

    public var severityOverrides: [RuleID: Severity] = [:]
    public var disabledRules: Set<RuleID> = []

    public init(name: String, description: String = "", sha256: String = "", source: String = "") {
        self.name = name
        self.description = description
        self.sha256 = sha256
        self.source = source
    }

    public func severity(of rule: RuleID) -> Severity {
        severityOverrides[rule] ?? rule.entry.defaultSeverity
    }

    public func isEnabled(_ rule: RuleID) -> Bool { !disabledRules.contains(rule) }
}

/// The caps a policy may set (`limits:` in the YAML; docs/limits.md lists each,
/// its default and how its hits are reported). Nil keeps the engine's default.
public struct PolicyLimits: Sendable, Equatable {
    public var httpHeadBytes: Int?
    public var httpHeaderFields: Int?
    public var httpBodyBytes: Int?
    public var httpDecompressedBytes: Int?
    public var openFlows: Int?
    public var flowReassemblyBytes: Int?
    public var reassemblyBytes: Int?
    public var fragmentPending: Int?
    public var fragmentBytes: Int?
    public var fragmentTimeoutSeconds: Int?
    public var rawScanBytes: Int?
    public var decodeDepth: Int?
    public var decodedBytes: Int?
    public var jsonDepth: Int?

    public init() {}

    /// The YAML key of each, its range, and where it goes.
    /// Key paths are immutable values; the table is never written.
    nonisolated(unsafe) public static let keys: [(name: String, range: ClosedRange<Int>, path: WritableKeyPath<PolicyLimits, Int?>)] = [
        ("http_head_bytes", 1_024...(16 << 20), \.httpHeadBytes),
        ("http_header_fields", 8...100_000, \.httpHeaderFields),
        ("http_body_bytes", 0...(1 << 30), \.httpBodyBytes),
        ("http_decompressed_bytes", 0...(1 << 30), \.httpDecompressedBytes),
        ("open_flows", 64...(1 << 24), \.openFlows),
        ("flow_reassembly_bytes", 4_096...(1 << 30), \.flowReassemblyBytes),
        ("reassembly_bytes", 65_536...(1 << 34), \.reassemblyBytes),
        ("fragment_pending", 1...(1 << 24), \.fragmentPending),
        ("fragment_bytes", 65_536...(1 << 32), \.fragmentBytes),
        ("fragment_timeout_seconds", 1...3_600, \.fragmentTimeoutSeconds),
        ("raw_scan_bytes", 0...(1 << 32), \.rawScanBytes),
        ("decode_depth", 0...16, \.decodeDepth),
        ("decoded_bytes", 1_024...(1 << 30), \.decodedBytes),
        ("json_depth", 1...10_000, \.jsonDepth),
    ]
}
