import Facts
import Flows
import TLSModel
import CertificateModel
import WireBytes

/// The rules of requirements §1 applied to one run's facts. Each check
/// reads a threshold from the policy and states the measured value.
public struct TransportRules {
    public let policy: Policy

    public init(policy: Policy) {
        self.policy = policy
    }

    /// Applies the policy's switches and severity overrides to what a rule found.
    func adjusted(_ findings: [Finding]) -> [Finding] {
        findings
            .filter { policy.isEnabled($0.rule) }
            .map { finding in
                var adjusted = finding
                adjusted.severity = policy.severity(of: finding.rule)
                return adjusted
            }
    }

    // MARK: flows

    func evaluate(_ flow: FlowFact) -> [Finding] {
        var findings: [Finding] = []
        func make(_ rule: RuleID, _ message: String, packets: [Int], evidence: [EvidenceItem]) -> Finding {
            Finding(rule: rule, severity: rule.entry.defaultSeverity, message: message, file: flow.file, flow: flow.id,
                    packets: packets, timeNanos: flow.first.timeNanos, serverName: flow.serverName?.name,
                    client: flow.client, server: flow.server, evidence: evidence)
        }
        if flow.conflictingOverlaps > 0 {
            findings.append(make(.streamConflictingOverlap,
                                 "\(flow.conflictingOverlaps) segment(s) repeat a sequence range with different bytes; the first copy was kept",
                                 packets: flow.conflictPackets,
                                 evidence: [EvidenceItem("conflicting_overlaps", "\(flow.conflictingOverlaps)")]))
        }
        if flow.application == .plaintext {
            findings.append(make(.plaintextTCPSession,
                                 "Plaintext TCP session: \(flow.clientBytes) byte(s) from the client, \(flow.serverBytes) from the server, no TLS handshake",
                                 packets: [flow.first.packet],
                                 evidence: [EvidenceItem("client_bytes", "\(flow.clientBytes)"), EvidenceItem("server_bytes", "\(flow.serverBytes)")]))
        }
        return findings
    }

    // MARK: handshakes

    func evaluate(_ handshake: HandshakeFact) -> [Finding] {
        var findings: [Finding] = []
        func make(_ rule: RuleID, _ message: String, at reference: PacketReference?, evidence: [EvidenceItem] = []) -> Finding {
            let where_ = reference ?? handshake.firstReference
            return Finding(rule: rule, severity: rule.entry.defaultSeverity, message: message, file: handshake.file, flow: handshake.flow,
                           packets: where_.map { [$0.packet] } ?? [], timeNanos: where_?.timeNanos,
                           serverName: handshake.serverName ?? handshake.flowServerName?.name,
                           client: handshake.client, server: handshake.server, evidence: evidence)
        }
        let version = handshake.negotiatedVersion
        let isTLCP = version?.isTLCP == true

        // Negotiated version.
        if let version, !isTLCP, !version.isGREASE, version < policy.minimumVersion {
            findings.append(make(.tlsVersionBelowMinimum, "Negotiated \(version.name); the policy requires \(policy.minimumVersion.name) or newer",
                                 at: handshake.serverHelloAt,
                                 evidence: [EvidenceItem("negotiated_version", version.name), EvidenceItem("minimum_version", policy.minimumVersion.name)]))
        }
        if isTLCP {
            findings.append(make(.tlcpRecognised, "TLCP (GB/T 38636) session negotiated with \(handshake.serverHello?.cipherSuite.name ?? "an unknown suite")",
                                 at: handshake.serverHelloAt))
        }

        // SSL 2.0 names no suite: the kind the CLIENT-MASTER-KEY chose (else every kind the
        // SERVER-HELLO lists) is judged by what makes it weak.
        if version == .ssl2, let hello = handshake.serverHello {
            findings += sslv2CipherFindings(hello, chosen: handshake.sslv2ChosenCipherKind.map { SSLv2CipherKind(rawValue: $0) }, at: handshake.serverHelloAt, make: make)
        } else if let suite = handshake.serverHello?.cipherSuite {
            if let info = suite.info {
                for category in SuiteCategory.categories(of: info) {
                    let rule: RuleID = switch category {
                    case .null: .tlsSuiteNullCipher
                    case .anonymous: .tlsSuiteAnonymous
                    case .export: .tlsSuiteExport
                    case .rc4: .tlsSuiteRC4
                    case .weakBlockCipher: .tlsSuiteWeakBlockCipher
                    case .md5MAC: .tlsSuiteMD5MAC
                    case .sha1MAC: .tlsSuiteSHA1MAC
                    case .staticRSA: .tlsSuiteStaticRSA
                    }
                    findings.append(make(rule, "Negotiated \(info.name) (\(suite.hexCode)): \(category.explanation)", at: handshake.serverHelloAt,
                                         evidence: [EvidenceItem("cipher_suite", "\(suite.hexCode) \(info.name)")]))
                }
            } else {
                findings.append(make(.tlsUnknownSuite, "Negotiated cipher suite \(suite.hexCode) is in no registry; its algorithms cannot be judged",
                                     at: handshake.serverHelloAt, evidence: [EvidenceItem("cipher_suite", suite.hexCode)]))
            }
        }

        findings += keyExchangeFindings(handshake, make: make)
        findings += offerFindings(handshake, make: make)

        // Certificates.
        if version?.isTLS13Family == true && handshake.serverCertificates.isEmpty {
            findings.append(make(.tlsCertificateNotObservable,
                                 "TLS 1.3 encrypts the server certificate; this capture cannot show whether the chain meets the policy (not counted as a pass)",
                                 at: handshake.serverHelloAt))
        }
        findings += certificateFindings(handshake.serverCertificates, side: "server", at: handshake.serverCertificatesAt, make: make)
        findings += certificateFindings(handshake.clientCertificates, side: "client", at: handshake.clientCertificatesAt, make: make)

        // How the handshake ended.
        if let fatal = handshake.alerts.first(where: { $0.isFatal }) {
            findings.append(make(.tlsHandshakeRejected,
                                 "The \(fatal.sender.rawValue) ended the handshake with a fatal \(fatal.description.name) alert (\(fatal.description.rawValue))",
                                 at: fatal.at,
                                 evidence: [EvidenceItem("alert", fatal.description.name), EvidenceItem("sender", fatal.sender.rawValue)]))
        } else if handshake.clientHello != nil && handshake.serverHello == nil {
            findings.append(make(.tlsHandshakeIncomplete, "ClientHello without a ServerHello in the capture: the server's choice cannot be judged",
                                 at: handshake.clientHelloAt))
        } else if handshake.clientHello == nil && handshake.serverHello != nil {
            findings.append(make(.tlsHandshakeIncomplete, "ServerHello without the ClientHello (capture started mid-handshake): the client's offer cannot be judged",
                                 at: handshake.serverHelloAt))
        }
        if let error = handshake.errors.first {
            let more = handshake.errors.count > 1 ? " (and \(handshake.errors.count - 1) more)" : ""
            findings.append(make(.tlsMalformedHandshake, "Malformed handshake from the \(error.sender.rawValue): \(error.message)\(more)", at: error.at,
                                 evidence: handshake.errors.prefix(8).enumerated().map { EvidenceItem("error_\($0.offset + 1)", "packet \($0.element.at.packet): \($0.element.message)") }))
        }
        return findings
    }

    private func sslv2CipherFindings(_ hello: ServerHello, chosen: SSLv2CipherKind?, at reference: PacketReference?,
                                     make: (RuleID, String, PacketReference?, [EvidenceItem]) -> Finding) -> [Finding] {
        let judged = chosen.map { [$0] } ?? hello.sslv2CipherSpecs
        let listed = hello.sslv2CipherSpecs.map { "\($0.name) (\($0.weaknesses.map(\.rawValue).joined(separator: "+")))" }.joined(separator: ", ")
        var findings: [Finding] = []
        var weaknesses: [SSLv2CipherKind.Weakness: [String]] = [:]
        for kind in judged { for weakness in kind.weaknesses { weaknesses[weakness, default: []].append(kind.name) } }
        for weakness in SSLv2CipherKind.Weakness.allCases {
            guard let kinds = weaknesses[weakness] else { continue }
            let rule: RuleID = switch weakness {
            case .export40: .tlsSuiteExport
            case .rc4: .tlsSuiteRC4
            case .rc2, .idea, .des: .tlsSuiteWeakBlockCipher
            case .md5: .tlsSuiteMD5MAC
            }
            let what = chosen == nil ? "The SSL 2.0 server offers" : "SSL 2.0 session with"
            findings.append(make(rule, "\(what) \(kinds.joined(separator: ", ")): \(weakness.rawValue)", reference,
                                 [EvidenceItem("cipher_spec", kinds.joined(separator: ",")), EvidenceItem("weakness", weakness.rawValue),
                                  EvidenceItem("server_cipher_specs", listed)]))
        }
        return findings
    }

    private func keyExchangeFindings(_ handshake: HandshakeFact, make: (RuleID, String, PacketReference?, [EvidenceItem]) -> Finding) -> [Finding] {
        var findings: [Finding] = []
        let version = handshake.negotiatedVersion
        if let exchange = handshake.serverKeyExchange {
            switch exchange.parameters {
            case .dhe(let primeBits, _) where primeBits < policy.minimumDHBits:
                findings.append(make(.tlsWeakKeyExchangeGroup, "Ephemeral DH group of \(primeBits) bits; the policy requires \(policy.minimumDHBits)",
                                     handshake.serverKeyExchangeAt,
                                     [EvidenceItem("dh_prime_bits", "\(primeBits)"), EvidenceItem("minimum_dh_bits", "\(policy.minimumDHBits)")]))
            case .ecdhe(_, let group):
                if let group, let strength = group.info?.strengthBits, strength < policy.minimumECStrengthForKeyExchange {
                    findings.append(make(.tlsWeakKeyExchangeGroup,
                                         "Ephemeral ECDH group \(group.name) gives \(strength)-bit security; the policy requires \(policy.minimumECStrengthForKeyExchange)",
                                         handshake.serverKeyExchangeAt,
                                         [EvidenceItem("group", group.name), EvidenceItem("strength_bits", "\(strength)")]))
                } else if group == nil {
                    findings.append(make(.tlsWeakKeyExchangeGroup, "Ephemeral ECDH over explicit curve parameters (not a named group) cannot be judged and is refused by modern clients",
                                         handshake.serverKeyExchangeAt, [EvidenceItem("group", "explicit")]))
                }
            case .rsaExport(let bits) where bits < policy.minimumRSABits:
                findings.append(make(.tlsWeakKeyExchangeGroup, "Temporary RSA key of \(bits) bits (EXPORT key exchange)",
                                     handshake.serverKeyExchangeAt, [EvidenceItem("rsa_bits", "\(bits)")]))
            default:
                break
            }
            if exchange.isSigned, let version, !version.isTLCP {
                let (hash, schemeName) = Self.signatureHash(exchange.signatureScheme, version: version,
                                                            rsa: handshake.serverHello?.cipherSuite.info?.authentication == .rsa)
                if let hash, policy.forbiddenHandshakeHashes.contains(hash) {
                    findings.append(make(.tlsServerKeyExchangeWeakHash, "ServerKeyExchange signed with \(schemeName): \(hash.rawValue) is forbidden",
                                         handshake.serverKeyExchangeAt, [EvidenceItem("signature", schemeName)]))
                }
            }
        }
        // TLS 1.3 names the group in the ServerHello's key_share.
        if version?.isTLS13Family == true, let group = handshake.serverHello?.keyShareGroup, let strength = group.info?.strengthBits {
            let tooWeak = group.info?.kind == .finiteField ? (group.info?.sizeBits ?? 0) < policy.minimumDHBits
                : strength < policy.minimumECStrengthForKeyExchange
            if tooWeak {
                findings.append(make(.tlsWeakKeyExchangeGroup, "TLS 1.3 key share \(group.name) is below the policy strength",
                                     handshake.serverHelloAt, [EvidenceItem("group", group.name)]))
            }
        }
        if let request = handshake.certificateRequest {
            let weak = request.signatureAlgorithms.filter { policy.forbiddenHandshakeHashes.contains($0.info?.hash ?? .unknown) }
            if !weak.isEmpty {
                findings.append(make(.tlsCertificateRequestWeakSignature,
                                     "CertificateRequest accepts \(weak.map(\.name).joined(separator: ", ")) from the client",
                                     handshake.certificateRequestAt, [EvidenceItem("weak_signature_algorithms", weak.map(\.name).joined(separator: ","))]))
            }
        }
        if let verify = handshake.clientCertificateVerify, let version, !version.isTLCP {
            let (hash, name) = Self.signatureHash(verify.signatureScheme, version: version,
                                                  rsa: handshake.clientCertificates.first?.certificate?.publicKey.keyType == .rsa)
            if let hash, policy.forbiddenHandshakeHashes.contains(hash) {
                findings.append(make(.tlsClientCertificateVerifyWeakHash, "Client CertificateVerify signed with \(name): \(hash.rawValue) is forbidden",
                                     handshake.clientCertificateVerifyAt, [EvidenceItem("signature", name)]))
            }
        }
        return findings
    }

    /// The hash behind a handshake signature and the name to report: the
    /// signature scheme's when the message names one; before TLS 1.2 the
    /// implicit MD5+SHA-1 (RSA keys) or SHA-1 (DSA/ECDSA); nil when a TLS 1.2+
    /// message names none.
    static func signatureHash(_ scheme: SignatureScheme?, version: ProtocolVersion, rsa: Bool) -> (hash: SignatureHash?, name: String) {
        if let scheme { return (scheme.info?.hash, scheme.name) }
        guard version < .tls12 else { return (nil, "none") }
        return rsa ? (.md5sha1, "rsa_md5_sha1 (implicit before TLS 1.2)") : (.sha1, "sha1 (implicit before TLS 1.2)")
    }

    private func offerFindings(_ handshake: HandshakeFact, make: (RuleID, String, PacketReference?, [EvidenceItem]) -> Finding) -> [Finding] {
        var findings: [Finding] = []
        let hellos = [(handshake.clientHello, handshake.clientHelloAt), (handshake.retriedClientHello, handshake.retriedClientHelloAt)]
        var versionsSeen = Set<ProtocolVersion>()
        var suitesSeen = Set<CipherSuite>()
        var schemesSeen = Set<SignatureScheme>()
        var sslv2Kinds = false
        var reference: PacketReference?
        for case let (hello?, at) in hellos {
            reference = reference ?? at
            versionsSeen.formUnion(hello.namedVersions)
            suitesSeen.formUnion(hello.cipherSuites.filter { !$0.isGREASE })
            schemesSeen.formUnion((hello.signatureAlgorithms + hello.signatureAlgorithmsCert).filter { !$0.isGREASE })
            sslv2Kinds = sslv2Kinds || !hello.sslv2CipherKinds.isEmpty
        }
        guard reference != nil else { return [] }
        // The best the client can do: an app whose highest offer is below the minimum fails on its own side.
        let ranked = versionsSeen.filter { !$0.isTLCP && !$0.isGREASE && $0.rank > 0 }
        if let highest = ranked.max(), highest < policy.minimumVersion {
            findings.append(make(.tlsClientMaximumBelowMinimum,
                                 "The client offers at most \(highest.name); the policy requires \(policy.minimumVersion.name) or newer"
                                     + (handshake.serverHello == nil ? " (the server did not complete the handshake)" : ""),
                                 reference, [EvidenceItem("highest_offered_version", highest.name),
                                             EvidenceItem("minimum_version", policy.minimumVersion.name)]))
        }
        let weakVersions = versionsSeen.filter { !$0.isTLCP && !$0.isGREASE && $0.rank > 0 && $0 < policy.minimumVersion }.sorted()
        if !weakVersions.isEmpty {
            findings.append(make(.tlsClientOffersObsoleteVersion, "Client offers \(weakVersions.map(\.name).joined(separator: ", "))",
                                 reference, [EvidenceItem("obsolete_versions", weakVersions.map(\.name).joined(separator: ","))]))
        }
        var weakSuites: [String] = suitesSeen.sorted().compactMap { suite in
            guard let info = suite.info else { return nil }
            let categories = Set(SuiteCategory.categories(of: info)).intersection(policy.clientOfferWeakCategories)
            return categories.isEmpty ? nil : info.name
        }
        if sslv2Kinds { weakSuites.append("SSL 2.0 cipher kinds") }
        if !weakSuites.isEmpty {
            let shown = weakSuites.prefix(6).joined(separator: ", ") + (weakSuites.count > 6 ? " and \(weakSuites.count - 6) more" : "")
            findings.append(make(.tlsClientOffersWeakSuite, "Client offers \(weakSuites.count) weak suite(s): \(shown)",
                                 reference, [EvidenceItem("weak_suites", weakSuites.joined(separator: ","))]))
        }
        let weakSchemes = schemesSeen.filter { policy.forbiddenHandshakeHashes.contains($0.info?.hash ?? .unknown) }
            .sorted { $0.rawValue < $1.rawValue }
        if !weakSchemes.isEmpty {
            findings.append(make(.tlsClientOffersWeakSignature, "Client offers signature algorithms \(weakSchemes.map(\.name).joined(separator: ", "))",
                                 reference, [EvidenceItem("weak_signature_algorithms", weakSchemes.map(\.name).joined(separator: ","))]))
        }
        return findings
    }

    private func certificateFindings(_ chain: [CertificateParseResult], side: String, at reference: PacketReference?,
                                     make: (RuleID, String, PacketReference?, [EvidenceItem]) -> Finding) -> [Finding] {
        var findings: [Finding] = []
        for (index, entry) in chain.enumerated() {
            let position = index == 0 ? "\(side) leaf certificate" : "\(side) chain certificate #\(index + 1)"
            guard let certificate = entry.certificate else {
                if let broken = entry.notDER {
                    findings.append(make(.certificateNotDER, "The \(position) is not DER X.509 (\(broken.reason)); SHA-256 \(broken.sha256)",
                                         reference, [EvidenceItem("sha256", broken.sha256), EvidenceItem("bytes", "\(broken.byteCount)")]))
                }
                continue
            }
            let subject = certificate.subject.rendered
            let base = [EvidenceItem("subject", subject), EvidenceItem("sha256", certificate.sha256)]
            let key = certificate.publicKey
            if let weakness = keyWeakness(key) {
                findings.append(make(.certificateWeakKey, "The \(position) (\(subject)) has \(weakness)", reference,
                                     base + [EvidenceItem("key", key.summary)]))
            } else if key.keyType == .unknown || key.keyType == .gost || (key.bits == nil && key.keyType != .ed25519 && key.keyType != .ed448) {
                findings.append(make(.certificateUnknownKeyType, "The \(position) (\(subject)) has a key wirecheck cannot measure: \(key.summary)",
                                     reference, base + [EvidenceItem("key_algorithm", key.algorithmOID)]))
            }
            let signature = certificate.signatureAlgorithm
            let isTrustAnchor = certificate.isSelfIssued && chain.count > 1 && index == chain.count - 1
            if signature.hash == .unknown {
                findings.append(make(.certificateUnknownSignatureAlgorithm, "The \(position) (\(subject)) is signed with unrecognised algorithm \(signature.oid)",
                                     reference, base + [EvidenceItem("signature_oid", signature.oid)]))
            } else if policy.forbiddenCertificateHashes.contains(signature.hash) {
                if isTrustAnchor && !policy.judgeTrustAnchorSelfSignature {
                    findings.append(make(.certificateTrustAnchorWeakSelfSignature,
                                         "The self-issued root (\(subject)) signs itself with \(signature.name); a trust anchor's self-signature is conventionally not judged",
                                         reference, base + [EvidenceItem("signature", signature.name)]))
                } else {
                    findings.append(make(.certificateWeakSignatureHash, "The \(position) (\(subject)) is signed with \(signature.name): \(signature.hash.rawValue) is forbidden",
                                         reference, base + [EvidenceItem("signature", signature.name), EvidenceItem("issuer", certificate.issuer.rendered)]))
                }
            }
            if policy.checkValidityPeriod, let reference {
                let seconds = reference.timeNanos / 1_000_000_000
                if let notAfter = certificate.notAfter, notAfter < seconds {
                    findings.append(make(.certificateExpired, "The \(position) (\(subject)) expired \(Timestamp.iso8601(seconds: notAfter)), before the capture time",
                                         reference, base + [EvidenceItem("not_after", Timestamp.iso8601(seconds: notAfter))]))
                }
                if let notBefore = certificate.notBefore, notBefore > seconds {
                    findings.append(make(.certificateNotYetValid, "The \(position) (\(subject)) is valid only from \(Timestamp.iso8601(seconds: notBefore))",
                                         reference, base + [EvidenceItem("not_before", Timestamp.iso8601(seconds: notBefore))]))
                }
            }
        }
        return findings
    }

    /// Nil when the key meets the policy; otherwise the measured weakness.
    func keyWeakness(_ key: ObservedPublicKey) -> String? {
        switch key.keyType {
        case .rsa, .rsaPSS:
            guard let bits = key.bits else { return nil }
            return bits < policy.minimumRSABits ? "a \(bits)-bit RSA key; the policy requires \(policy.minimumRSABits)" : nil
        case .dsa, .dh:
            guard let bits = key.bits else { return nil }
            return bits < policy.minimumDSABits ? "a \(bits)-bit \(key.keyType.rawValue) key; the policy requires \(policy.minimumDSABits)" : nil
        case .ec:
            guard let strength = key.securityBits else { return nil }
            return strength < policy.minimumECStrengthForCertificates
                ? "an EC key on \(key.curveName ?? "an explicit curve") (\(key.bits ?? 0) bits, \(strength)-bit security); the policy requires \(policy.minimumECStrengthForCertificates)-bit security"
                : nil
        case .sm2:
            if policy.acceptSM2 { return nil }
            return "an SM2 key, which the policy does not accept"
        default:
            return nil
        }
    }
}

extension SuiteCategory {
    var explanation: String {
        switch self {
        case .null: "records are not encrypted"
        case .anonymous: "the server is not authenticated"
        case .export: "EXPORT-grade keys"
        case .rc4: "RC4 is prohibited (RFC 7465)"
        case .weakBlockCipher: "DES/3DES/RC2/IDEA: 56-bit keys or 64-bit blocks"
        case .md5MAC: "records are authenticated with HMAC-MD5"
        case .sha1MAC: "records are authenticated with HMAC-SHA1"
        case .staticRSA: "static RSA key exchange gives no forward secrecy"
        }
    }
}

