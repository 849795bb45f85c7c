import Facts
import Foundation
import PacketDecoding
import Yams

/// How sure a catalogue pattern is to mean its SDK (the catalogue's sources policy).
public enum MatchConfidence: String, Sendable, Comparable, CaseIterable {
    case low, medium, high

    var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        }
    }

    public static func < (lhs: MatchConfidence, rhs: MatchConfidence) -> Bool { lhs.rank < rhs.rank }
}

/// One endpoint pattern of an SDK, with where it was documented.
public struct DomainPattern: Sendable, Hashable {
    public enum Kind: String, Sendable {
        /// The host itself.
        case exact
        /// The domain and every subdomain.
        case suffix
        /// `*` stands for exactly one leftmost label.
        case wildcard
    }

    public var kind: Kind
    /// Lower case, no trailing dot; for a wildcard, what follows `*.`.
    public var value: String
    public var confidence: MatchConfidence
    public var evidence: String
    public var source: String
    public var note: String?

    /// As the catalogue spells it.
    public var spelled: String { kind == .wildcard ? "*.\(value)" : value }
}

/// A documented address range an SDK connects to without a name (HTTPDNS servers, some push and RTC SDKs).
public struct NetworkRange: Sendable, Hashable {
    public var network: IPAddress
    public var prefixLength: Int
    public var cidr: String
    public var confidence: MatchConfidence
    public var evidence: String
    public var source: String

    public func contains(_ address: IPAddress) -> Bool {
        guard address.isIPv6 == network.isIPv6 else { return false }
        let bits = address.isIPv6 ? 128 : 32
        let length = min(prefixLength, bits)
        // IPv4 lives in the low 32 bits of `low`.
        if !address.isIPv6 {
            let mask: UInt64 = length == 0 ? 0 : (UInt64(0xFFFF_FFFF) << UInt64(32 - length)) & 0xFFFF_FFFF
            return address.low & mask == network.low & mask
        }
        let highMask: UInt64 = length >= 64 ? .max : (length == 0 ? 0 : .max << UInt64(64 - length))
        let lowMask: UInt64 = length <= 64 ? 0 : (length >= 128 ? .max : .max << UInt64(128 - length))
        return address.high & highMask == network.high & highMask && address.low & lowMask == network.low & lowMask
    }
}

/// One SDK of the catalogue.
public struct SDKEntry: Sendable, Hashable {
    public var id: String
    public var name: String
    public var nameZH: String?
    public var vendor: String
    public var vendorZH: String?
    public var category: String
    /// The SDK's own notice says it collects PI (device identifiers, location…).
    public var collectsPI: Bool
    /// How sharing lists and package names refer to it.
    public var aliases: [String]
    public var domains: [DomainPattern]
    public var networks: [NetworkRange]
    public var note: String?
}

/// What a lookup found: the SDK, the pattern that matched, and how sure it is.
public struct SDKMatch: Sendable, Hashable {
    public var sdk: SDKEntry
    /// The pattern as the catalogue spells it (`ulogs.umeng.com`, `*.log.aliyuncs.com`, `203.107.1.0/24`).
    public var pattern: String
    /// `exact`, `suffix`, `wildcard` or `network`.
    public var kind: String
    public var confidence: MatchConfidence

    public init(sdk: SDKEntry, pattern: String, kind: String, confidence: MatchConfidence) {
        self.sdk = sdk
        self.pattern = pattern
        self.kind = kind
        self.confidence = confidence
    }
}

/// A catalogue file that cannot be used, with where.
public struct CatalogError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int?
    public var message: String
    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

/// The SDK catalogue (`Policies/sdk-catalog.yaml`, bundled), compiled for
/// lookups by longest suffix: a host's suffixes are tried from the whole host
/// down, each one dictionary probe, so a lookup costs a few hashes.
public struct SDKCatalog: Sendable {
    public private(set) var entries: [SDKEntry]
    private var exact: [String: (SDKEntry, DomainPattern)] = [:]
    private var suffix: [String: (SDKEntry, DomainPattern)] = [:]
    /// Keyed by what follows `*.`.
    private var wildcard: [String: (SDKEntry, DomainPattern)] = [:]
    private var networks: [(SDKEntry, NetworkRange)] = []

    public static let categories = [
        "analytics", "advertising", "attribution", "push", "crash-reporting", "maps-location", "payment", "social-login",
        "carrier-login", "risk-control", "customer-service", "rtc-im", "cloud-storage-cdn", "httpdns", "ab-testing",
        "session-replay", "customer-engagement", "web-engine", "app-update", "other",
    ]

    public init(entries: [SDKEntry]) {
        self.entries = entries
        index()
    }

    private mutating func index() {
        exact = [:]
        suffix = [:]
        wildcard = [:]
        networks = []
        for entry in entries {
            for pattern in entry.domains {
                switch pattern.kind {
                // A pattern listed under several SDKs keeps the more confident one (first when equal).
                case .exact: Self.keep(&exact, pattern.value, entry, pattern)
                case .suffix: Self.keep(&suffix, pattern.value, entry, pattern)
                case .wildcard: Self.keep(&wildcard, pattern.value, entry, pattern)
                }
            }
            for range in entry.networks { networks.append((entry, range)) }
        }
    }

    private static func keep(_ table: inout [String: (SDKEntry, DomainPattern)], _ key: String, _ entry: SDKEntry, _ pattern: DomainPattern) {
        if let existing = table[key], existing.1.confidence >= pattern.confidence { return }
        table[key] = (entry, pattern)
    }

    /// The SDK whose most specific pattern matches `host`: the host exactly,
    /// then a suffix pattern on the host, then `*.` one label up, then shorter
    /// suffixes.
    public func lookup(host: String) -> SDKMatch? {
        var name = Substring(host.lowercased())
        while name.hasSuffix(".") { name = name.dropLast() }
        guard !name.isEmpty else { return nil }
        let whole = String(name)
        if let (entry, pattern) = exact[whole] { return SDKMatch(sdk: entry, pattern: pattern.spelled, kind: "exact", confidence: pattern.confidence) }
        var rest = name
        var first = true
        while true {
            let key = String(rest)
            if let (entry, pattern) = suffix[key] {
                return SDKMatch(sdk: entry, pattern: pattern.spelled, kind: "suffix", confidence: pattern.confidence)
            }
            guard let dot = rest.firstIndex(of: ".") else { return nil }
            rest = rest[rest.index(after: dot)...]
            if first, let (entry, pattern) = wildcard[String(rest)] {
                return SDKMatch(sdk: entry, pattern: pattern.spelled, kind: "wildcard", confidence: pattern.confidence)
            }
            first = false
        }
    }

    /// The SDK whose documented address range holds `address`.
    public func lookup(address: IPAddress) -> SDKMatch? {
        let found = networks.filter { $0.1.contains(address) }.max { $0.1.prefixLength < $1.1.prefixLength }
        return found.map { SDKMatch(sdk: $0.0, pattern: $0.1.cidr, kind: "network", confidence: $0.1.confidence) }
    }

    public func entry(id: String) -> SDKEntry? { entries.first { $0.id == id } }

    /// Entries of `other` replace those with the same id; new ones are added (`--sdk-catalog`).
    public mutating func merge(_ other: SDKCatalog) {
        for entry in other.entries {
            if let index = entries.firstIndex(where: { $0.id == entry.id }) { entries[index] = entry } else { entries.append(entry) }
        }
        index()
    }

    // MARK: loading

    /// The bundled catalogue, read once; empty only if the build lost its
    /// resource bundle (the CLI loads `builtIn()` itself and says so).
    public static let standard: SDKCatalog = (try? builtIn()) ?? SDKCatalog(entries: [])

    /// The bundled catalogue (`Policies/sdk-catalog.yaml`).
    public static func builtIn() throws(CatalogError) -> SDKCatalog {
        guard let url = Bundle.module.url(forResource: "sdk-catalog", withExtension: "yaml", subdirectory: "Data"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw CatalogError(file: "sdk-catalog.yaml", line: nil, message: "the built-in catalogue is missing from the bundle")
        }
        return try parse(text, file: "Policies/sdk-catalog.yaml")
    }

    public static func load(path: String) throws(CatalogError) -> SDKCatalog {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CatalogError(file: path, line: nil, message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CatalogError(file: path, line: nil, message: "not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Reads the catalogue schema (see the header of `Policies/sdk-catalog.yaml`);
    /// anything malformed is an error naming the file and line.
    public static func parse(_ text: String, file: String) throws(CatalogError) -> SDKCatalog {
        let root: Node?
        // Every value is read as text (no implicit typing): Yams resolves plain scalars'
        // tags with regular expressions, which made loading the catalogue cost 0.1 s a run.
        do { root = try Yams.compose(yaml: text, .basic) } catch {
            throw CatalogError(file: file, line: (error as? YamlError).flatMap(Self.line(of:)), message: "not YAML: \(error)")
        }
        guard let sdks = root?.mapping?["sdks"]?.sequence else {
            throw CatalogError(file: file, line: nil, message: "expected a mapping with an `sdks` list")
        }
        var entries: [SDKEntry] = []
        var seen = Set<String>()
        for node in sdks {
            let line = node.mark.map { $0.line }
            func fail(_ message: String) -> CatalogError { CatalogError(file: file, line: line, message: message) }
            guard let mapping = node.mapping else { throw fail("each SDK must be a mapping") }
            func string(_ key: String) -> String? { mapping[key]?.string.flatMap { $0.isEmpty || $0 == "null" ? nil : $0 } }
            guard let id = string("id") else { throw fail("an SDK without an id") }
            guard seen.insert(id).inserted else { throw fail("SDK id \(id) appears twice") }
            guard let name = string("name") else { throw fail("SDK \(id) has no name") }
            let category = string("category") ?? "other"
            guard categories.contains(category) else { throw fail("SDK \(id): unknown category \(category)") }
            var domains: [DomainPattern] = []
            for item in mapping["domains"]?.sequence ?? [] {
                guard let pattern = item.mapping, let kindText = pattern["match"]?.string, let kind = DomainPattern.Kind(rawValue: kindText),
                      var value = pattern["value"]?.string?.lowercased() else {
                    throw CatalogError(file: file, line: item.mark?.line ?? line, message: "SDK \(id): a domain needs `match` (exact, suffix, wildcard) and `value`")
                }
                if kind == .wildcard {
                    guard value.hasPrefix("*.") else {
                        throw CatalogError(file: file, line: item.mark?.line ?? line, message: "SDK \(id): wildcard \(value) must start with *.")
                    }
                    value.removeFirst(2)
                }
                let confidence = pattern["confidence"]?.string.flatMap(MatchConfidence.init(rawValue:)) ?? .medium
                domains.append(DomainPattern(kind: kind, value: value, confidence: confidence, evidence: pattern["evidence"]?.string ?? "",
                                             source: pattern["source"]?.string ?? "", note: pattern["note"]?.string.flatMap { $0 == "null" ? nil : $0 }))
            }
            var networks: [NetworkRange] = []
            for item in mapping["networks"]?.sequence ?? [] {
                guard let range = item.mapping, let cidr = range["cidr"]?.string, let parsed = parseCIDR(cidr) else {
                    throw CatalogError(file: file, line: item.mark?.line ?? line, message: "SDK \(id): a network needs a `cidr` like 203.107.1.0/24")
                }
                let confidence = range["confidence"]?.string.flatMap(MatchConfidence.init(rawValue:)) ?? .medium
                networks.append(NetworkRange(network: parsed.0, prefixLength: parsed.1, cidr: cidr, confidence: confidence,
                                             evidence: range["evidence"]?.string ?? "", source: range["source"]?.string ?? ""))
            }
            entries.append(SDKEntry(
                id: id, name: name, nameZH: string("name_zh"), vendor: string("vendor") ?? "", vendorZH: string("vendor_zh"),
                category: category, collectsPI: string("collects_pi").map { $0 != "false" } ?? true,
                aliases: (mapping["aliases"]?.sequence ?? []).compactMap(\.string), domains: domains, networks: networks,
                note: string("note")))
        }
        return SDKCatalog(entries: entries)
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    /// `203.107.1.0/24`, `2400:3200::/32`, or a bare address (a /32 or /128).
    static func parseCIDR(_ text: String) -> (IPAddress, Int)? {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let address = IPAddress(parsing: String(parts[0])) else { return nil }
        let bits = address.isIPv6 ? 128 : 32
        let length = parts.count == 2 ? Int(parts[1]) : bits
        guard let length, (0...bits).contains(length) else { return nil }
        return (address, length)
    }
}
