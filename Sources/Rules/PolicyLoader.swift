import Facts
import ThirdParties
import Crypto
import Foundation
import TLSModel
import CertificateModel
import Yams
import WireBytes

/// A policy file that cannot be used, with the line and column to fix.
public struct PolicyError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let column: Int?
    public let message: String

    public var description: String {
        if let line, let column { return "\(file):\(line):\(column): \(message)" }
        return "\(file): \(message)"
    }
}

/// Reads policy YAML into a `Policy`, strictly: an unknown key, a value of
/// the wrong type or an unknown rule id is an error naming its position, so a
/// typo never silently weakens a check.
public enum PolicyLoader {
    /// The built-in policy, `Policies/default.yaml` (bundled as a resource).
    public static func builtIn() throws(PolicyError) -> Policy {
        guard let url = Bundle.module.url(forResource: "default", withExtension: "yaml", subdirectory: "DefaultPolicy"),
              let data = try? Data(contentsOf: url) else {
            throw PolicyError(file: "default.yaml", line: nil, column: nil, message: "built-in policy missing from the bundle")
        }
        return try load(Array(data), file: "built-in:default.yaml")
    }

    public static func load(path: String) throws(PolicyError) -> Policy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PolicyError(file: path, line: nil, column: nil, message: "cannot read the policy file")
        }
        return try load(Array(data), file: path)
    }

    public static func load(_ bytes: [UInt8], file: String) throws(PolicyError) -> Policy {
        let digest = Hex.string(SHA256.hash(data: bytes))
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PolicyError(file: file, line: nil, column: nil, message: "the policy is not UTF-8 text")
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw PolicyError(file: file, line: nil, column: nil, message: "the policy is empty")
            }
            root = node
        } catch let error as PolicyError {
            throw error
        } catch let error as YamlError {
            throw Self.translate(error, file: file)
        } catch {
            throw PolicyError(file: file, line: nil, column: nil, message: "\(error)")
        }
        var reader = NodeReader(file: file)
        var policy = Policy(name: "", sha256: digest, source: file)
        try reader.read(root, into: &policy)
        return policy
    }

    static func translate(_ error: YamlError, file: String) -> PolicyError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return PolicyError(file: file, line: mark.line, column: mark.column, message: "YAML syntax error: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, _):
            return PolicyError(file: file, line: nil, column: nil, message: "duplicated keys: \(duplicates.joined(separator: ", "))")
        default:
            return PolicyError(file: file, line: nil, column: nil, message: "YAML error: \(error)")
        }
    }
}

/// Walks the composed YAML nodes, keeping positions for error messages.
struct NodeReader {
    let file: String

    func fail(_ node: Node, _ message: String) -> PolicyError {
        PolicyError(file: file, line: node.mark?.line, column: node.mark?.column, message: message)
    }

    func mapping(_ node: Node, _ what: String) throws(PolicyError) -> [(String, Node, Node)] {
        guard let mapping = node.mapping else { throw fail(node, "\(what) must be a mapping") }
        var seen = Set<String>()
        var pairs: [(String, Node, Node)] = []
        for (key, value) in mapping {
            guard let name = key.string else { throw fail(key, "keys in \(what) must be strings") }
            guard seen.insert(name).inserted else { throw fail(key, "duplicate key '\(name)' in \(what)") }
            pairs.append((name, key, value))
        }
        return pairs
    }

    func string(_ node: Node, _ what: String) throws(PolicyError) -> String {
        guard node.scalar != nil, let value = node.string else { throw fail(node, "\(what) must be a string") }
        return value
    }

    func integer(_ node: Node, _ what: String, range: ClosedRange<Int>) throws(PolicyError) -> Int {
        guard node.scalar != nil, let value = node.int else { throw fail(node, "\(what) must be a whole number") }
        guard range.contains(value) else { throw fail(node, "\(what) must be between \(range.lowerBound) and \(range.upperBound), not \(value)") }
        return value
    }

    func boolean(_ node: Node, _ what: String) throws(PolicyError) -> Bool {
        guard node.scalar != nil, let value = node.bool else { throw fail(node, "\(what) must be true or false") }
        return value
    }

    func list(_ node: Node, _ what: String) throws(PolicyError) -> [(String, Node)] {
        guard let sequence = node.sequence else { throw fail(node, "\(what) must be a list") }
        var items: [(String, Node)] = []
        for item in sequence { items.append((try string(item, "an entry of \(what)"), item)) }
        return items
    }

    /// A list of names from a closed set (hashes, suite categories, PI types).
    func members<Member: RawRepresentable & CaseIterable & Hashable>(
        _ node: Node, _ what: String, excluding excluded: Set<Member> = []
    ) throws(PolicyError) -> Set<Member> where Member.RawValue == String {
        var members = Set<Member>()
        for (name, item) in try list(node, what) {
            guard let member = Member(rawValue: name.lowercased()), !excluded.contains(member) else {
                let allowed = Member.allCases.filter { !excluded.contains($0) }.map(\.rawValue).joined(separator: ", ")
                throw fail(item, "unknown entry '\(name)' in \(what) (\(allowed))")
            }
            members.insert(member)
        }
        return members
    }

    mutating func read(_ root: Node, into policy: inout Policy) throws(PolicyError) {
        for (key, keyNode, value) in try mapping(root, "the policy") {
            switch key {
            case "name": policy.name = try string(value, "name")
            case "description": policy.description = try string(value, "description")
            case "tls": try readTLS(value, into: &policy)
            case "certificates": try readCertificates(value, into: &policy)
            case "rules": try readRules(value, into: &policy)
            case "pii": try readPII(value, into: &policy)
            case "third_parties": try readThirdParties(value, into: &policy)
            case "limits": try readLimits(value, into: &policy)
            default: throw fail(keyNode, "unknown key '\(key)' (expected name, description, tls, certificates, pii, third_parties, limits, rules)")
            }
        }
        if policy.name.isEmpty { throw fail(root, "the policy needs a name") }
    }

    func readLimits(_ node: Node, into policy: inout Policy) throws(PolicyError) {
        for (key, keyNode, value) in try mapping(node, "limits") {
            guard let known = PolicyLimits.keys.first(where: { $0.name == key }) else {
                throw fail(keyNode, "unknown key 'limits.\(key)' (expected \(PolicyLimits.keys.map(\.name).joined(separator: ", ")))")
            }
            policy.limits[keyPath: known.path] = try integer(value, "limits.\(key)", range: known.range)
        }
    }

    func readTLS(_ node: Node, into policy: inout Policy) throws(PolicyError) {
        for (key, keyNode, value) in try mapping(node, "tls") {
            switch key {
            case "minimum_version":
                let text = try string(value, "tls.minimum_version")
                guard let version = ProtocolVersion(name: text), !version.isTLCP else {
                    throw fail(value, "tls.minimum_version '\(text)' is not one of SSL 3.0, TLS 1.0, TLS 1.1, TLS 1.2, TLS 1.3")
                }
                policy.minimumVersion = version
            case "forbidden_signature_hashes":
                policy.forbiddenHandshakeHashes = try members(value, "tls.forbidden_signature_hashes", excluding: [.none, .intrinsic, .unknown])
            case "minimum_dh_bits": policy.minimumDHBits = try integer(value, "tls.minimum_dh_bits", range: 0...16384)
            case "minimum_ec_strength_bits": policy.minimumECStrengthForKeyExchange = try integer(value, "tls.minimum_ec_strength_bits", range: 0...512)
            case "client_offer_weak_categories":
                policy.clientOfferWeakCategories = try members(value, "tls.client_offer_weak_categories")
            default:
                throw fail(keyNode, "unknown key 'tls.\(key)'")
            }
        }
    }

    func readCertificates(_ node: Node, into policy: inout Policy) throws(PolicyError) {
        for (key, keyNode, value) in try mapping(node, "certificates") {
            switch key {
            case "minimum_rsa_bits": policy.minimumRSABits = try integer(value, "certificates.minimum_rsa_bits", range: 0...65536)
            case "minimum_dsa_bits": policy.minimumDSABits = try integer(value, "certificates.minimum_dsa_bits", range: 0...65536)
            case "minimum_ec_strength_bits": policy.minimumECStrengthForCertificates = try integer(value, "certificates.minimum_ec_strength_bits", range: 0...512)
            case "accept_sm2": policy.acceptSM2 = try boolean(value, "certificates.accept_sm2")
            case "judge_trust_anchor_self_signature": policy.judgeTrustAnchorSelfSignature = try boolean(value, "certificates.judge_trust_anchor_self_signature")
            case "check_validity_period": policy.checkValidityPeriod = try boolean(value, "certificates.check_validity_period")
            case "forbidden_signature_hashes":
                policy.forbiddenCertificateHashes = try members(value, "certificates.forbidden_signature_hashes", excluding: [.intrinsic, .unknown])
            default:
                throw fail(keyNode, "unknown key 'certificates.\(key)'")
            }
        }
    }

    func readPII(_ node: Node, into policy: inout Policy) throws(PolicyError) {
        for (key, keyNode, value) in try mapping(node, "pii") {
            switch key {
            case "enabled": policy.inspectPersonalInformation = try boolean(value, "pii.enabled")
            case "inspect_udp": policy.inspectUDP = try boolean(value, "pii.inspect_udp")
            case "minimum_confidence":
                guard value.scalar != nil, let number = value.float, (0...1).contains(number) else {
                    throw fail(value, "pii.minimum_confidence must be a number from 0 to 1")
                }
                policy.minimumPIConfidence = number
            case "sensitive_types":
                policy.sensitivePITypes = try members(value, "pii.sensitive_types")
            default:
                throw fail(keyNode, "unknown key 'pii.\(key)'")
            }
        }
    }

    func readThirdParties(_ node: Node, into policy: inout Policy) throws(PolicyError) {
        for (key, keyNode, value) in try mapping(node, "third_parties") {
            switch key {
            case "allowed_before_consent":
                var categories = Set<String>()
                for (name, item) in try list(value, "third_parties.allowed_before_consent") {
                    guard SDKCatalog.categories.contains(name) else {
                        throw fail(item, "unknown SDK category '\(name)' (\(SDKCatalog.categories.joined(separator: ", ")))")
                    }
                    categories.insert(name)
                }
                policy.allowedBeforeConsent = categories
            case "frequency_window_seconds":
                policy.frequencyWindowSeconds = try integer(value, "third_parties.frequency_window_seconds", range: 1...86_400)
            case "frequency_max_per_window":
                policy.frequencyMaximum = try integer(value, "third_parties.frequency_max_per_window", range: 1...1_000_000)
            case "frequency_types":
                policy.frequencyTypes = try members(value, "third_parties.frequency_types")
            default:
                throw fail(keyNode, "unknown key 'third_parties.\(key)'")
            }
        }
    }

    func readRules(_ node: Node, into policy: inout Policy) throws(PolicyError) {
        for (key, keyNode, value) in try mapping(node, "rules") {
            guard let rule = RuleID(rawValue: key) else { throw fail(keyNode, "unknown rule id '\(key)' (see `wirecheck rules`)") }
            for (setting, settingNode, settingValue) in try mapping(value, "rules.\(key)") {
                switch setting {
                case "severity":
                    let text = try string(settingValue, "rules.\(key).severity")
                    guard let severity = Severity(name: text) else {
                        throw fail(settingValue, "unknown severity '\(text)' (info, low, medium, high, critical)")
                    }
                    policy.severityOverrides[rule] = severity
                case "enabled":
                    if try boolean(settingValue, "rules.\(key).enabled") { policy.disabledRules.remove(rule) }
                    else { policy.disabledRules.insert(rule) }
                default:
                    throw fail(settingNode, "unknown setting 'rules.\(key).\(setting)' (severity, enabled)")
                }
            }
        }
    }
}
