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
/// A reference type: a lookup hands out the entry, not a copy of its dozen fields.
public final class SDKEntry: Sendable, Hashable {
    public let id: String
    public let name: String
    public let nameZH: String?
    public let vendor: String
    public let vendorZH: String?
    public let category: String
    /// The SDK's own notice says it collects PI (device identifiers, location…).
    public let collectsPI: Bool
    /// How sharing lists and package names refer to it.
    public let aliases: [String]
    public let domains: [DomainPattern]
    public let networks: [NetworkRange]
    public let note: String?

    public init(id: String, name: String, nameZH: String?, vendor: String, vendorZH: String?, category: String, collectsPI: Bool,
                aliases: [String], domains: [DomainPattern], networks: [NetworkRange], note: String?) {
        self.id = id
        self.name = name
        self.nameZH = nameZH
        self.vendor = vendor
        self.vendorZH = vendorZH
        self.category = category
        self.collectsPI = collectsPI
        self.aliases = aliases
        self.domains = domains
        self.networks = networks
        self.note = note
    }

    /// Ids are unique within a catalogue.
    public static func == (lhs: SDKEntry, rhs: SDKEntry) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
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
/// lookups by longest suffix. A host is hashed once, right to left; at each
/// label boundary the hash so far is the hash of that suffix, so every
/// candidate suffix costs one probe of one table and no string is built.
public struct SDKCatalog: Sendable {
    public private(set) var entries: [SDKEntry]
    private var index = HostIndex()
    private var networks: [(SDKEntry, NetworkRange)] = []

    public static let categories = [
        "analytics", "advertising", "attribution", "push", "crash-reporting", "maps-location", "payment", "social-login",
        "carrier-login", "risk-control", "customer-service", "rtc-im", "cloud-storage-cdn", "httpdns", "ab-testing",
        "session-replay", "customer-engagement", "web-engine", "app-update", "other",
    ]

    public init(entries: [SDKEntry]) {
        self.entries = entries
        reindex()
    }

    private mutating func reindex() {
        index = HostIndex()
        networks = []
        for entry in entries {
            for pattern in entry.domains { index.add(pattern, entry: entry) }
            for range in entry.networks { networks.append((entry, range)) }
        }
    }

    /// The SDK whose most specific pattern matches `host`: the host exactly,
    /// then a suffix pattern on the whole host, then `*.` one label up, then
    /// the longest shorter suffix.
    public func lookup(host: String) -> SDKMatch? {
        var host = host
        return host.withUTF8 { index.lookup($0) }.map { index.matches[$0] }
    }

    /// The SDK whose documented address range holds `address`.
    public func lookup(address: IPAddress) -> SDKMatch? {
        var best: (SDKEntry, NetworkRange)?
        for (entry, range) in networks where range.contains(address) && range.prefixLength > (best?.1.prefixLength ?? -1) {
            best = (entry, range)
        }
        return best.map { SDKMatch(sdk: $0.0, pattern: $0.1.cidr, kind: "network", confidence: $0.1.confidence) }
    }

    public func entry(id: String) -> SDKEntry? { entries.first { $0.id == id } }

    /// Entries of `other` replace those with the same id; new ones are added (`--sdk-catalog`).
    public mutating func merge(_ other: SDKCatalog) {
        for entry in other.entries {
            if let index = entries.firstIndex(where: { $0.id == entry.id }) { entries[index] = entry } else { entries.append(entry) }
        }
        reindex()
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

/// The domain patterns keyed by a hash of their reversed bytes (FNV-1a), one
/// table per kind; a probe's candidates are confirmed byte for byte.
struct HostIndex: Sendable {
    /// What each pattern's hit reports, made once.
    private(set) var matches: [SDKMatch] = []
    private var bytes: [[UInt8]] = []
    private var exact = HashTable()
    private var suffix = HashTable()
    private var wildcard = HashTable()

    static let offset: UInt64 = 0xCBF2_9CE4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    static func reversedHash(_ value: [UInt8]) -> UInt64 {
        var hash = offset
        for byte in value.reversed() { hash = (hash ^ UInt64(lower(byte))) &* prime }
        return hash
    }

    mutating func add(_ pattern: DomainPattern, entry: SDKEntry) {
        let value = Array(pattern.value.utf8).map(Self.lower)
        let key = Self.reversedHash(value)
        func keep(_ table: inout HashTable) {
            // A pattern listed under several SDKs keeps the more confident one (the first when equal).
            if let existing = table.values(for: key).first(where: { bytes[$0] == value }) {
                if matches[existing].confidence >= pattern.confidence { return }
                table.remove(key: key, value: existing)
            }
            table.insert(key: key, value: matches.count)
            matches.append(SDKMatch(sdk: entry, pattern: pattern.spelled, kind: pattern.kind.rawValue, confidence: pattern.confidence))
            bytes.append(value)
        }
        switch pattern.kind {
        case .exact: keep(&exact)
        case .suffix: keep(&suffix)
        case .wildcard: keep(&wildcard)
        }
    }

    private func probe(_ table: HashTable, _ key: UInt64, _ host: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var slot = table.first(key)
        while let candidate = table.value(at: &slot, key: key) {
            let value = bytes[candidate]
            guard value.count == end - start else { continue }
            var same = true
            for offset in 0..<value.count where Self.lower(host[start + offset]) != value[offset] {
                same = false
                break
            }
            if same { return candidate }
        }
        return nil
    }

    /// The position in `matches` of the most specific pattern for `host`.
    func lookup(_ host: UnsafeBufferPointer<UInt8>) -> Int? {
        var end = host.count
        while end > 0, host[end - 1] == UInt8(ascii: ".") { end -= 1 }
        guard end > 0 else { return nil }
        var hash = Self.offset
        var longestSuffix: Int?
        // The suffix after the host's first label (what `*.` stands beside).
        var afterFirstLabel: (key: UInt64, start: Int)?
        var position = end
        while position > 0 {
            position -= 1
            let byte = host[position]
            if byte == UInt8(ascii: ".") {
                // host[position+1..<end] is a whole suffix.
                if let found = probe(suffix, hash, host, from: position + 1, to: end) { longestSuffix = found }
                afterFirstLabel = (hash, position + 1)
            }
            hash = (hash ^ UInt64(Self.lower(byte))) &* Self.prime
        }
        if let found = probe(exact, hash, host, from: 0, to: end) { return found }
        if let found = probe(suffix, hash, host, from: 0, to: end) { return found }
        if let (key, start) = afterFirstLabel, let found = probe(wildcard, key, host, from: start, to: end) { return found }
        return longestSuffix
    }
}

/// Open addressing over 64-bit hashes (already well mixed, so no second
/// hash): a probe is a few array reads, where a Dictionary would SipHash the key.
struct HashTable: Sendable {
    private var keys: [UInt64] = Array(repeating: 0, count: 16)
    private var slots: [Int32] = Array(repeating: -1, count: 16)
    private var count = 0

    private var mask: Int { keys.count - 1 }

    /// Where the search for `key` begins.
    func first(_ key: UInt64) -> Int { Int(truncatingIfNeeded: key) & mask }

    /// The next value stored under `key` from `slot` on (advancing it), or nil at an empty slot.
    func value(at slot: inout Int, key: UInt64) -> Int? {
        while slots[slot] >= 0 {
            defer { slot = (slot + 1) & mask }
            if keys[slot] == key { return Int(slots[slot]) }
        }
        return nil
    }

    func values(for key: UInt64) -> [Int] {
        var slot = first(key)
        var found: [Int] = []
        while let value = value(at: &slot, key: key) { found.append(value) }
        return found
    }

    mutating func insert(key: UInt64, value: Int) {
        if (count + 1) * 2 > keys.count { grow() }
        var slot = first(key)
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        keys[slot] = key
        slots[slot] = Int32(value)
        count += 1
    }

    /// Removal rebuilds the table without the pair (rare: only while indexing).
    mutating func remove(key: UInt64, value: Int) {
        let kept = zip(keys, slots).filter { $0.1 >= 0 && !($0.0 == key && Int($0.1) == value) }
        keys = Array(repeating: 0, count: keys.count)
        slots = Array(repeating: -1, count: keys.count)
        count = 0
        for (key, slot) in kept { insert(key: key, value: Int(slot)) }
    }

    private mutating func grow() {
        let kept = zip(keys, slots).filter { $0.1 >= 0 }
        keys = Array(repeating: 0, count: keys.count * 2)
        slots = Array(repeating: -1, count: keys.count)
        count = 0
        for (key, slot) in kept { insert(key: key, value: Int(slot)) }
    }
}
