import Facts
import PacketDecoding

/// HTTPDNS: many Chinese apps resolve names through a resolver reached over
/// plain HTTP instead of DNS, then connect to the answered address with no
/// DNS query and often no SNI. The answers name those flows. Recognised by
/// the request (`…/d?host=`, `…/resolve?host=`, `/d?dn=`, `/v3/resolve?dn=`,
/// `/resolve?domain=`) and read from the response in each provider's format:
/// Alibaba Cloud (`{"host","ips","ipsv6","ttl"}`, batch `{"dns":[…]}`), Baidu
/// (`{"data":{NAME:{"ip","ipv6","ttl"}}}`), Volcengine (`{"host","ips","ttl"}`),
/// Tencent Cloud DNSPod (plain text `ip;ip,ttl`, or `name.:ip;ip,ttl` a line).
enum HTTPDNS {
    struct Answer: Equatable {
        var name: String
        var addresses: [IPAddress]
        var ttl: UInt32
    }

    /// The names a request asks an HTTPDNS resolver for; empty for any other request.
    static func askedNames(path: String?, query: String?) -> [String] {
        guard let path, let query else { return [] }
        let parameters = ["host", "dn", "domain"]
        guard path.hasSuffix("/d") || path.hasSuffix("/resolve") else { return [] }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parameters.contains(String(parts[0])) else { continue }
            let value = String(parts[1]).removingPercentEscapes
            let names = value.split(separator: ",").map { String($0).lowercased() }.filter(looksLikeName)
            if !names.isEmpty { return names }
        }
        return []
    }

    /// The provider a resolve request's shape names, by each provider's documented API:
    /// Alibaba Cloud `/{account}/d?host=` and `/{account}/resolve?host=`, Tencent Cloud
    /// `/d?dn=` (with `id=` for the enterprise API), Baidu `/v3/resolve?account_id=&dn=`,
    /// Volcengine `/resolve?domain=&account_id=`.
    static func signature(path: String?, query: String?) -> ProtocolSignature? {
        guard let path, let query, !askedNames(path: path, query: query).isEmpty else { return nil }
        let keys = Set(query.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "" })
        let segments = path.split(separator: "/")
        if segments.count == 2, segments[0].allSatisfy(\.isNumber), keys.contains("host") {
            return ProtocolSignature(sdk: "aliyun-httpdns", shape: "/{account}/\(segments[1])?host=")
        }
        if path == "/d", keys.contains("dn") { return ProtocolSignature(sdk: "tencent-cloud-httpdns", shape: "/d?dn=") }
        if path.hasSuffix("/resolve"), segments.count == 2, segments[0] == "v3" || segments[0] == "v4",
           keys.contains("account_id"), keys.contains("dn") {
            return ProtocolSignature(sdk: "baidu-httpdns", shape: "/\(segments[0])/resolve?account_id=&dn=")
        }
        if path == "/resolve", keys.contains("domain"), keys.contains("account_id") {
            return ProtocolSignature(sdk: "volcengine-httpdns", shape: "/resolve?domain=&account_id=")
        }
        return nil
    }

    static func looksLikeName(_ text: String) -> Bool {
        text.contains(".") && text.count <= 253 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }
    }

    /// The answers a response body holds for `asked` names.
    static func answers(body: [UInt8], asked: [String]) -> [Answer] {
        guard !asked.isEmpty, body.count <= 64 << 10 else { return [] }
        if let json = MiniJSON.parse(body) { return fromJSON(json, asked: asked) }
        return fromText(String(decoding: body, as: UTF8.self), asked: asked)
    }

    private static func addresses(_ value: MiniJSON?) -> [IPAddress] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap { if case .string(let text) = $0 { IPAddress(parsing: text) } else { nil } }
    }

    private static func ttl(_ value: MiniJSON?) -> UInt32 {
        if case .number(let number)? = value, number >= 0, number < 1e9 { return UInt32(number) }
        return 60
    }

    static func fromJSON(_ json: MiniJSON, asked: [String]) -> [Answer] {
        guard case .object(let top) = json else { return [] }
        var out: [Answer] = []
        func record(_ entry: [String: MiniJSON], name fallback: String?) {
            var name = fallback
            if case .string(let host)? = entry["host"] ?? entry["domain"] ?? entry["name"] { name = host.lowercased() }
            guard let name, looksLikeName(name) else { return }
            let found = addresses(entry["ips"] ?? entry["ip"]) + addresses(entry["ipsv6"] ?? entry["ipv6"])
            if !found.isEmpty { out.append(Answer(name: name, addresses: found, ttl: ttl(entry["ttl"]))) }
        }
        if case .array(let list)? = top["dns"] ?? top["answers"] {
            for item in list { if case .object(let entry) = item { record(entry, name: nil) } }
        } else if case .object(let data)? = top["data"] {
            for (name, value) in data where looksLikeName(name.lowercased()) {
                if case .object(let entry) = value { record(entry, name: name.lowercased()) }
            }
        } else {
            record(top, name: asked.count == 1 ? asked[0] : nil)
        }
        return out
    }

    static func fromText(_ text: String, asked: [String]) -> [Answer] {
        var out: [Answer] = []
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var name = asked.count == 1 ? asked[0] : nil
            var rest = Substring(line)
            // `name.:ip;ip,ttl` when several names were asked.
            if let colon = rest.firstIndex(of: ":"), rest[..<colon].contains("."), IPAddress(parsing: String(rest[..<colon])) == nil {
                name = String(rest[..<colon]).lowercased().trimmingDots
                rest = rest[rest.index(after: colon)...]
            }
            guard let name, looksLikeName(name) else { continue }
            let parts = rest.split(separator: ",", maxSplits: 1)
            let found = (parts.first ?? "").split(separator: ";").compactMap { IPAddress(parsing: String($0)) }
            let ttl = parts.count == 2 ? UInt32(parts[1].prefix { $0.isNumber }) ?? 60 : 60
            if !found.isEmpty { out.append(Answer(name: name, addresses: found, ttl: ttl)) }
        }
        return out
    }
}

extension String {
    /// `%2C` → `,`; a malformed escape is kept as it is.
    var removingPercentEscapes: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = Array(utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    var trimmingDots: String {
        var text = Substring(self)
        while text.hasSuffix(".") { text = text.dropLast() }
        return String(text)
    }
}

/// A small JSON reader for short bodies (HTTPDNS answers): objects, arrays,
/// strings (with escapes), numbers, literals; depth and size bounded. Nil for
/// anything that is not one JSON value.
indirect enum MiniJSON: Equatable {
    case object([String: MiniJSON])
    case array([MiniJSON])
    case string(String)
    case number(Double)
    case literal(String)

    static let maximumDepth = 32

    static func parse(_ bytes: [UInt8]) -> MiniJSON? {
        var index = 0
        guard let value = parseValue(bytes, &index, depth: 0) else { return nil }
        skipSpace(bytes, &index)
        return index == bytes.count ? value : nil
    }

    private static func skipSpace(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private static func parseValue(_ bytes: [UInt8], _ index: inout Int, depth: Int) -> MiniJSON? {
        guard depth < maximumDepth else { return nil }
        skipSpace(bytes, &index)
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var members: [String: MiniJSON] = [:]
            skipSpace(bytes, &index)
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipSpace(bytes, &index)
                guard case .string(let key)? = parseString(bytes, &index) else { return nil }
                skipSpace(bytes, &index)
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                guard let value = parseValue(bytes, &index, depth: depth + 1) else { return nil }
                members[key] = value
                skipSpace(bytes, &index)
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                return nil
            }
        case UInt8(ascii: "["):
            index += 1
            var items: [MiniJSON] = []
            skipSpace(bytes, &index)
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                guard let value = parseValue(bytes, &index, depth: depth + 1) else { return nil }
                items.append(value)
                skipSpace(bytes, &index)
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                return nil
            }
        case UInt8(ascii: "\""):
            return parseString(bytes, &index)
        default:
            let start = index
            while index < bytes.count, !([UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index])) {
                index += 1
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if let number = Double(text) { return .number(number) }
            return ["true", "false", "null"].contains(text) ? .literal(text) : nil
        }
    }

    private static func parseString(_ bytes: [UInt8], _ index: inout Int) -> MiniJSON? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        var out: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") { return .string(String(decoding: out, as: UTF8.self)) }
            if byte == UInt8(ascii: "\\") {
                guard index < bytes.count else { return nil }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16) else { return nil }
                    index += 4
                    out.append(contentsOf: Array(String(Unicode.Scalar(value).map(Character.init) ?? "\u{FFFD}").utf8))
                default: out.append(escaped)
                }
                continue
            }
            out.append(byte)
        }
        return nil
    }
}
