import Foundation
import ReportModel
import Rules
import Testing
import Yams

/// Every capture of captures/tls-everywhere (STARTTLS-style upgrades, SOCKS
/// tunnels, DTLS, QUIC Initials, SSL 2.0, TLS 1.3 drafts, post-quantum keys,
/// handshakes split over records and segments, old clients) against its
/// oracle, facts.yaml, which tshark wrote: the handshakes found, their SNI,
/// version, suite, chain (subject, key type and bits, signature algorithm),
/// SRTP profiles, QUIC version, tunnel target and plaintext credentials.
@Suite struct TLSEverywhereCaptureTests {
    /// One facts.yaml entry; immutable once loaded (Yams gives untyped values, hence unchecked).
    struct Capture: CustomStringConvertible, @unchecked Sendable {
        let file: String
        let handshakes: [[String: Any]]
        var description: String { file }
        let credentials: Int
        let tunnelTarget: String?
        let transport: String
        let upgrade: String?

        init(_ entry: [String: Any]) {
            file = entry["file"] as? String ?? "?"
            handshakes = entry["handshakes"] as? [[String: Any]] ?? []
            // A SOCKS4 user id is a name, not a secret: only entries with a password count.
            credentials = (entry["plaintext_credentials"] as? [[String: Any]])?.filter { $0["password"] != nil }.count ?? 0
            tunnelTarget = entry["tunnel_target"] as? String
            transport = entry["transport"] as? String ?? "tcp"
            upgrade = entry["upgrade"] as? String
        }
    }

    static let folder = capturePath("tls-everywhere")

    static func loadCaptures() -> [Capture] {
        guard let text = try? String(contentsOfFile: folder + "/facts.yaml", encoding: .utf8),
              let document = try? Yams.load(yaml: text) as? [String: Any],
              let entries = document["captures"] as? [[String: Any]] else { return [] }
        return entries.map(Capture.init)
    }

    static let captures = loadCaptures()

    @Test func everyCaptureHasItsFacts() throws {
        #expect(Self.captures.count == 36, "facts.yaml lists \(Self.captures.count) captures")
        for capture in Self.captures {
            #expect(FileManager.default.fileExists(atPath: Self.folder + "/" + capture.file), "\(capture.file) is missing")
        }
    }

    /// tshark spells the TLS 1.3 drafts and experiments its own way; the report keeps wirecheck's spelling.
    static func versionName(_ tshark: String) -> String {
        if tshark.hasPrefix("TLS 1.3 draft ") { return "TLS 1.3 (draft \(tshark.dropFirst("TLS 1.3 draft ".count)))" }
        switch tshark {
        case "TLS 1.3 experiment 0x7e01 (Google)": return "TLS 1.3 (Google experiment 1)"
        case "TLS 1.3 experiment 0x7e02 (Google)": return "TLS 1.3 (Google experiment 2)"
        case "TLS 1.3 experiment 0xfb1a (Facebook)": return "TLS 1.3 (Facebook draft 26)"
        default: return tshark
        }
    }

    /// tshark spells the DTLS-SRTP profiles as OpenSSL does (SRTP_AES128_CM_SHA1_80); the report uses IANA's names.
    static func srtpName(_ name: String) -> String { name.replacingOccurrences(of: "HMAC_", with: "") }

    @Test(arguments: captures)
    func reportAgreesWithTheOracle(_ capture: Capture) throws {
        let report = try inspect([Self.folder + "/" + capture.file], failOn: nil)
        let rules = Set(report.findings.map(\.rule.rawValue))
        #expect(report.handshakes.count == capture.handshakes.count, "handshakes found")
        for (index, expected) in capture.handshakes.enumerated() where index < report.handshakes.count {
            let found = report.handshakes[index]
            #expect(found.sni == expected["sni"] as? String, "SNI of handshake \(index + 1)")
            #expect(found.version == expected["version"] as? String, "version of handshake \(index + 1)")
            if found.version == "SSL 2.0" {
                // "0x0700C0 (SSL2_DES_192_EDE3_CBC_WITH_MD5)": SSL 2.0 names a cipher kind, not a suite.
                let kind = (expected["cipher_suite"] as? String)?.split(separator: "(").last.map { $0.dropLast().replacingOccurrences(of: "SSL2_", with: "SSL_CK_") }
                #expect(found.cipherSuite == nil)
                #expect(found.sslv2ChosenCipherSpec == kind, "SSL 2.0 cipher kind")
            } else {
                #expect(found.cipherSuite?.id == expected["cipher_suite"] as? String, "suite of handshake \(index + 1)")
            }
            let offered = ((expected["offered_versions"] as? [String]) ?? []).map(Self.versionName)
            #expect(found.offeredVersions == offered, "offered versions of handshake \(index + 1)")
            #expect(found.transport == (capture.transport == "udp" ? (capture.upgrade == "quic" ? "quic" : "dtls") : "tls"))
            if let quic = expected["quic_version"] as? String {
                #expect(found.quicVersion == String(quic.prefix { $0 != " " }), "QUIC version")
            }
            if let groups = expected["offered_groups"] as? [String] {
                // "0x11ec (X25519MLKEM768)" → the name in parentheses.
                let names = groups.map { $0.split(separator: "(").last.map { String($0.dropLast()) } ?? $0 }
                #expect(found.supportedGroups.map { $0.lowercased() } == names.map { $0.lowercased() }, "offered groups")
            }
            #expect(found.srtpProfilesOffered.map(Self.srtpName) == ((expected["srtp_offered"] as? [String]) ?? []), "SRTP offered")
            #expect(found.srtpProfile.map(Self.srtpName) == (expected["srtp_profiles"] as? [String])?.first, "SRTP chosen")
            let chain = (expected["certificates"] as? [[String: Any]]) ?? []
            if found.version.map({ $0.hasPrefix("TLS 1.3") || $0 == "DTLS 1.3" }) == true || capture.upgrade == "quic" {
                // The chain is encrypted: never shown, never passed.
                #expect(found.certificates.isEmpty)
                #expect(rules.contains("WC-TLS-015"), "TLS 1.3 certificate reported as not observable")
            } else if !chain.isEmpty {
                #expect(found.certificates.count == chain.count, "chain length")
                for (position, certificate) in zip(found.certificates, chain) {
                    #expect(position.subject?.contains("CN=\(certificate["subject_cn"] as? String ?? "?")") == true, "subject")
                    #expect(position.keyType == certificate["key_type"] as? String, "key type")
                    // tshark gives no size for ML-DSA keys: facts.yaml has the public key's length in bytes.
                    let bits = (certificate["key_bits"] as? Int) ?? (certificate["public_key_bytes"] as? Int).map { $0 * 8 }
                    #expect(position.keyBits == bits, "key bits")
                    #expect(position.signature?.name == certificate["signature"] as? String
                            || position.signature?.oid == certificate["signature"] as? String, "signature algorithm")
                }
            }
        }
        if capture.credentials > 0 {
            #expect(rules.contains("WC-PI-003"), "plaintext credential found")
        } else {
            #expect(!rules.contains("WC-PI-003"), "no credential where none was sent")
        }
        if let target = capture.tunnelTarget {
            let tunnel = try #require(report.handshakes.first?.tunnel, "tunnel target")
            #expect("\(tunnel.host):\(tunnel.port)" == target)
        }
    }

    /// The upgrades and tunnels are named in the flow's analyzers, before `tls`.
    @Test func upgradesAndTunnelsNameTheirProtocol() throws {
        let expected = [
            "smtp-starttls-tls12.pcap": "smtp", "smtp-auth-plain-starttls-tls10.pcap": "smtp", "imap-starttls.pcap": "imap",
            "pop3-user-pass-stls.pcap": "pop3", "xmpp-starttls.pcap": "xmpp", "ftp-auth-tls.pcap": "ftp", "ftps-curl-auth-ssl.pcap": "ftp",
            "ldap-starttls.pcap": "ldap", "postgres-sslrequest.pcap": "postgresql", "mysql-ssl.pcap": "mysql",
            "socks4-curl.pcap": "socks4", "socks4a-curl.pcap": "socks4a", "socks4a-nosni.pcap": "socks4a", "socks5-curl.pcap": "socks5",
            "socks5h-curl.pcap": "socks5", "socks5h-auth.pcap": "socks5", "socks5-ip-nosni.pcap": "socks5",
        ]
        for (file, name) in expected {
            let report = try inspect([Self.folder + "/" + file], failOn: nil)
            let flow = try #require(report.flows.first, "\(file)")
            #expect(flow.analyzers == [name, "tls"], "\(file): \(flow.analyzers)")
            #expect(flow.application == "tls", "\(file)")
        }
    }

    @Test func aTunnelWithoutSNINamesTheServerByItsTarget() throws {
        let report = try inspect([Self.folder + "/socks4a-nosni.pcap"], failOn: nil)
        #expect(report.handshakes.first?.sni == nil)
        #expect(report.flows.first?.serverName == "socks-target.wirecheck.test")
        #expect(report.flows.first?.serverNameSource == "tunnel")
    }

    @Test func quicFlowsAreNamedFromTheirInitials() throws {
        for file in ["quic-v1-h3.pcap", "quic-v2-h3.pcap", "quic-draft29-h3.pcap", "quic-v1-mlkem-2initials.pcap"] {
            let report = try inspect([Self.folder + "/" + file], failOn: nil)
            #expect(report.flows.first?.serverNameSource == "quic", "\(file)")
            let handshake = try #require(report.handshakes.first, "\(file)")
            #expect(handshake.ja4?.hasPrefix("q13d") == true, "\(file): \(handshake.ja4 ?? "none")")
            #expect(handshake.certificatesObservable == false, "\(file)")
        }
        let hybrid = try inspect([Self.folder + "/quic-v1-mlkem-2initials.pcap"], failOn: nil)
        #expect(hybrid.handshakes.first?.keyShareGroups == ["X25519MLKEM768", "x25519"])
        #expect(hybrid.handshakes.first?.keyExchange?.group == "X25519MLKEM768")
    }

    @Test func dtlsHelloVerifyRequestsAndRetransmissionsMakeOneHandshake() throws {
        for (file, verify) in [("dtls10-hvr.pcap", 2), ("dtls12-hvr-srtp.pcap", 2), ("dtls12-retransmit.pcap", 2), ("dtls12-fragmented-cert.pcap", 2)] {
            let report = try inspect([Self.folder + "/" + file], failOn: nil)
            #expect(report.handshakes.count == 1, "\(file)")
            #expect(report.handshakes.first?.helloVerifyRequestPacket == verify, "\(file)")
            #expect(report.handshakes.first?.ja4?.hasPrefix("d") == true, "\(file)")
        }
        let old = try inspect([Self.folder + "/dtls10-hvr.pcap"], failOn: nil)
        #expect(old.findings.contains { $0.rule.rawValue == "WC-TLS-001" }, "DTLS 1.0 fails the version rule")
        let fragmented = try inspect([Self.folder + "/dtls12-fragmented-cert.pcap"], failOn: nil)
        #expect(fragmented.handshakes.first?.certificatesPacket == 16, "the Certificate is complete in its 13th fragment's packet")
    }

    @Test func sslv2SessionIsJudgedByItsCipherKinds() throws {
        let report = try inspect([Self.folder + "/sslv2-server.pcap"], failOn: nil)
        let handshake = try #require(report.handshakes.first)
        #expect(handshake.version == "SSL 2.0")
        #expect(handshake.sslv2ServerCipherSpecs.count == 7)
        #expect(handshake.sslv2ServerCipherSpecs.contains("SSL_CK_RC4_128_EXPORT40_WITH_MD5"))
        #expect(handshake.sslv2ChosenCipherSpec == "SSL_CK_DES_192_EDE3_CBC_WITH_MD5")
        let rules = Set(report.findings.map(\.rule.rawValue))
        #expect(rules.isSuperset(of: ["WC-TLS-001", "WC-TLS-006", "WC-TLS-007", "WC-CRT-001", "WC-CRT-003"]))
        #expect(!rules.contains("WC-TLS-019") && !rules.contains("WC-TLS-018"), "no unknown suite, no malformed record")
        let evidence = report.findings.first { $0.rule.rawValue == "WC-TLS-006" }?.evidence.map(\.value).joined(separator: " ") ?? ""
        #expect(evidence.contains("EXPORT40") && evidence.contains("RC4"), "the server's weak specs are named: \(evidence)")
    }

    @Test func postQuantumCertificatesAreNamedNotFlagged() throws {
        let report = try inspect([Self.folder + "/tls12-mldsa44-cert-rejected.pcap"], failOn: nil)
        let chain = try #require(report.handshakes.first?.certificates)
        #expect(chain.map(\.keyType) == ["ML-DSA-44", "ML-DSA-65"])
        #expect(chain.map(\.keyBits) == [1312 * 8, 1952 * 8], "key size is the public key's length in bits")
        #expect(chain.map { $0.signature?.name } == ["ML-DSA-65", "ML-DSA-65"])
        let rules = Set(report.findings.map(\.rule.rawValue))
        #expect(rules.isDisjoint(with: ["WC-CRT-001", "WC-CRT-002", "WC-CRT-008"]))
    }

    @Test func aClientThatCannotDoTLS12IsAFindingOnItsSide() throws {
        for file in ["tls10-client-refused.pcap", "tls11-client-accepted.pcap", "smtp-auth-plain-starttls-tls10.pcap"] {
            let report = try inspect([Self.folder + "/" + file], failOn: nil)
            let finding = try #require(report.findings.first { $0.rule.rawValue == "WC-TLS-023" }, "\(file)")
            #expect(finding.severity == .medium, "\(file)")
        }
        let modern = try inspect([Self.folder + "/smtp-starttls-tls12.pcap"], failOn: nil)
        #expect(!modern.findings.contains { $0.rule.rawValue == "WC-TLS-023" })
    }
}

/// TLS that begins after a plaintext part of a protocol no analyzer knows.
@Suite struct LateTLSTests {
    @Test func aHelloAfterAnUnknownPlaintextPrefixIsFollowed() throws {
        let report = try inspect([capturePath("tls-everywhere/plaintext-then-tls.pcap")], failOn: nil)
        let flow = try #require(report.flows.first)
        #expect(flow.analyzers == ["raw", "tls"])
        #expect(flow.serverName == "sync.acme-cloud.test" && flow.serverNameSource == "sni")
        #expect(report.handshakes.first?.version == "TLS 1.3")
        // The plaintext before the upgrade is still scanned.
        #expect(report.findings.contains { $0.pii?.masked == "139****8876" && $0.pii?.decoding == ["raw"] })
    }
}
