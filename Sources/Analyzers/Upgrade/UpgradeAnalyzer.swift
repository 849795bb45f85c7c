import Detectors
import Facts
import ProtocolTLS
import WireBytes

/// Protocols that start in plaintext and switch to TLS on the same
/// connection: SMTP, IMAP and POP3 (`STARTTLS`/`STLS`), FTP (`AUTH TLS`,
/// `AUTH SSL`), XMPP (`<starttls/>`), LDAP (the StartTLS extended operation),
/// PostgreSQL (`SSLRequest`) and MySQL/MariaDB (the SSL request packet). The
/// upgrade is found by content, not by command: each side hands the rest of
/// its stream back for probing where its TLS hello begins, so a server that
/// answers "ready" and an SDK that skips the reply are followed alike. The
/// plaintext before it is scanned for PI, and the credentials a client sends
/// in it (SMTP `AUTH PLAIN`/`LOGIN`, IMAP `LOGIN`, POP3 and FTP `USER`/`PASS`,
/// XMPP SASL PLAIN) are credential sightings.
public final class UpgradeAnalyzer: StreamAnalyzer {
    public static let name = "starttls"

    /// The protocols recognised; raw values are the names the flow's `analyzers` list shows.
    enum Dialect: String, CaseIterable {
        case smtp, imap, pop3, ftp, xmpp, ldap, postgresql, mysql
    }

    public static func probe(_ prefix: RawSpan, from side: Side, afterGap: Bool, final: Bool) -> ProbeResult {
        guard !afterGap else { return .noMatch }
        let (dialects, undecided) = prefix.withUnsafeBytes { recognise($0, client: side == .client) }
        if !dialects.isEmpty { return .match }
        return undecided && !final ? .needMoreBytes : .noMatch
    }

    /// The dialects a side's first bytes could be; `undecided` while too few bytes are in.
    static func recognise(_ bytes: UnsafeRawBufferPointer, client: Bool) -> (Set<Dialect>, undecided: Bool) {
        let count = bytes.count
        guard count > 0 else { return ([], true) }
        if client {
            // PostgreSQL SSLRequest: length 8, code 80877103 (and GSSENCRequest 80877104).
            let sslRequest: [UInt8] = [0, 0, 0, 8, 0x04, 0xD2, 0x16]
            if bytes.starts(with: sslRequest.prefix(min(count, 7))) {
                guard count >= 8 else { return ([], true) }
                return bytes[7] == 0x2F || bytes[7] == 0x30 ? ([.postgresql], false) : ([], false)
            }
            // MySQL SSL request: a 32-byte packet with sequence id 1 and CLIENT_SSL (0x0800) set.
            if count >= 6, bytes[0] == 32, bytes[1] == 0, bytes[2] == 0, bytes[3] == 1, bytes[5] & 0x08 != 0 { return ([.mysql], false) }
            // LDAP: an LDAPMessage SEQUENCE carrying the StartTLS OID.
            if bytes[0] == 0x30 {
                if contains(bytes, Array("1.3.6.1.4.1.1466.20037".utf8), within: 96) { return ([.ldap], false) }
                return ([], count < 31)
            }
        } else {
            if bytes[0] == UInt8(ascii: "S") {
                guard count >= 2 else { return ([], true) }
                return bytes[1] == 22 ? ([.postgresql], false) : ([], false)
            }
            // MySQL greeting: 3-byte length, sequence id 0, protocol version 10.
            if count >= 5, bytes[3] == 0, bytes[4] == 10, Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 < 1024 { return ([.mysql], false) }
            // LDAP ExtendedResponse ([APPLICATION 24], 0x78) after the messageID.
            if bytes[0] == 0x30 {
                guard count >= 8 else { return ([], true) }
                var position = 2
                if bytes[1] & 0x80 != 0 { position += Int(bytes[1] & 0x7F) }
                guard position + 2 < count, bytes[position] == 0x02 else { return ([], false) }
                position += 2 + Int(bytes[position + 1])
                guard position < count else { return ([], true) }
                return bytes[position] == 0x78 ? ([.ldap], false) : ([], false)
            }
        }
        // The text protocols: the first line decides.
        let limit = min(count, 512)
        var end = 0
        while end < limit, bytes[end] != 0x0A {
            let byte = bytes[end]
            guard byte == 0x0D || byte == 0x09 || (0x20..<0x7F).contains(byte) else { return ([], false) }
            end += 1
        }
        let line = Array(bytes[0..<end]).map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }
        let decided = end < limit || count >= 512
        func starts(_ text: String) -> Bool { line.starts(with: Array(text.utf8)) }
        if starts("<?XML") || starts("<STREAM:STREAM") { return ([.xmpp], false) }
        if !decided {
            // Wait for the whole first line, unless it can no longer be one of ours.
            return ([], true)
        }
        if client {
            if starts("EHLO ") || starts("HELO ") { return ([.smtp], false) }
            if starts("AUTH TLS") || starts("AUTH SSL") || starts("FEAT") || starts("SYST") || starts("OPTS ") { return ([.ftp], false) }
            if starts("CAPA") || starts("STLS") || starts("APOP ") { return ([.pop3], false) }
            if starts("USER ") { return ([.pop3, .ftp], false) }
            if let space = line.firstIndex(of: 0x20), space > 0 {
                let command = line[(space + 1)...].prefix { $0 != 0x20 && $0 != 0x0D }
                if ["CAPABILITY", "STARTTLS", "LOGIN", "AUTHENTICATE", "ID", "NOOP"].contains(String(decoding: command, as: UTF8.self)) {
                    return ([.imap], false)
                }
            }
        } else {
            if starts("220") { return ([.smtp, .ftp], false) }
            if starts("* OK") { return ([.imap], false) }
            if starts("+OK") { return ([.pop3], false) }
        }
        return ([], false)
    }

    static func contains(_ bytes: UnsafeRawBufferPointer, _ needle: [UInt8], within limit: Int) -> Bool {
        let end = min(bytes.count, limit)
        guard end >= needle.count else { return false }
        for start in 0...(end - needle.count) where bytes[start] == needle[0] {
            if (0..<needle.count).allSatisfy({ bytes[start + $0] == needle[$0] }) { return true }
        }
        return false
    }

    private struct SideText {
        /// The side's plaintext so far (bounded by `window`).
        var bytes: [UInt8] = []
        var firstPacket: PacketReference?
        /// Where the next search for a TLS hello starts.
        var searched = 0
        /// Complete lines already read for credentials.
        var linesRead = 0
        var finished = false
    }

    /// The plaintext part of an upgrade is short (a greeting, capabilities, a
    /// login): past this much a side is taken to stay plaintext.
    static let window = 64 << 10

    private let context: FlowContext
    private var client = SideText()
    private var server = SideText()
    private var dialects = Set(Dialect.allCases)
    private var credentials = CredentialReader()

    public init(context: FlowContext) {
        self.context = context
    }

    public var plaintextProtocol: PlaintextProtocol? { .unknown }

    /// `smtp`, `imap`, …: what the flow's `analyzers` list names this analyzer.
    public var flowLabel: String? { dialect?.rawValue }

    var dialect: Dialect? {
        Dialect.allCases.first { dialects.contains($0) }
    }

    public func attach(_ side: Side, afterGap: Bool) {}

    public func receive(_ bytes: RawSpan, from side: Side, at packet: PacketReference, requests: inout FlowRequests) {
        if side == .client { receive(bytes, &client, from: side, at: packet, requests: &requests) }
        else { receive(bytes, &server, from: side, at: packet, requests: &requests) }
    }

    private func receive(_ bytes: RawSpan, _ text: inout SideText, from side: Side, at packet: PacketReference, requests: inout FlowRequests) {
        guard !text.finished else { return }
        if text.bytes.isEmpty {
            text.firstPacket = packet
            let (seen, _) = bytes.withUnsafeBytes { Self.recognise($0, client: side == .client) }
            if !seen.isEmpty, !dialects.intersection(seen).isEmpty { dialects.formIntersection(seen) }
        }
        bytes.withUnsafeBytes { text.bytes.append(contentsOf: $0) }
        let found = text.bytes.withUnsafeBytes { TLSRecordStream.findHandshakeStart(RawSpan(_unsafeBytes: $0), from: text.searched, client: side == .client) }
        let plaintextEnd = found.offset ?? text.bytes.count
        if side == .client { readCredentials(&text, upTo: plaintextEnd, at: packet) }
        if let start = found.offset {
            conclude(&text, plaintextEnd: start, from: side, at: packet)
            context.upgradedFrom = dialect?.rawValue ?? Self.name
            requests.handOff(side, held: Array(text.bytes[start...]))
            text.bytes = []
            return
        }
        text.searched = found.partialAt ?? text.bytes.count
        if text.bytes.count >= Self.window {
            conclude(&text, plaintextEnd: text.bytes.count, from: side, at: packet)
            text.bytes = []
            requests.stop(side)
        }
    }

    /// Reads the client's complete lines for credentials, refining the dialect on the way.
    private func readCredentials(_ text: inout SideText, upTo end: Int, at packet: PacketReference) {
        guard let dialect, ![.ldap, .postgresql, .mysql].contains(dialect) else { return }
        var start = text.linesRead
        while start < end, let newline = text.bytes[start..<end].firstIndex(of: 0x0A) {
            let line = text.bytes[start..<newline]
            let (mechanism, found) = credentials.read(line, dialect: dialect)
            if let found, context.environment.inspection != nil {
                let match = PIMatch(type: .password, value: found.password, masked: "******", decoding: [dialect.rawValue] + (found.base64 ? ["base64"] : []),
                                    field: "\(dialect.rawValue) \(mechanism)", confirmed: false, confidence: 0.99,
                                    detail: "\(mechanism) credentials for user \(Self.maskUser(found.user)) before the upgrade to TLS")
                context.emitSightings([match], sender: .client, http: nil, carrier: .tcp, first: text.firstPacket ?? packet, lastPacket: packet.packet)
            }
            start = newline + 1
        }
        text.linesRead = start
    }

    static func maskUser(_ user: String) -> String {
        guard let first = user.first else { return "(empty)" }
        return "\(first)***"
    }

    /// The side's plaintext is over: it is scanned for PI once.
    private func conclude(_ text: inout SideText, plaintextEnd: Int, from side: Side, at packet: PacketReference) {
        text.finished = true
        guard plaintextEnd > 0, let first = text.firstPacket else { return }
        text.bytes.withUnsafeBytes { raw in
            RawStreamScanner.scanOnce(RawSpan(_unsafeBytes: raw).extracting(0..<plaintextEnd), from: side, first: first, last: packet, in: context)
        }
    }

    public func noteGap(from side: Side, at reference: PacketReference) {}

    public func finish(at last: PacketReference) {
        if !client.finished { conclude(&client, plaintextEnd: client.bytes.count, from: .client, at: last) }
        if !server.finished { conclude(&server, plaintextEnd: server.bytes.count, from: .server, at: last) }
    }

    public func rolesSwapped() {
        swap(&client, &server)
    }
}

/// Credentials in the client's command lines, as each protocol spells them.
struct CredentialReader {
    struct Found {
        var user: String
        var password: String
        var base64: Bool
    }

    /// A mechanism that sends its credentials on the next line(s).
    private enum Awaiting {
        case none, plain, loginUser, loginPassword(user: String)
    }
    private var awaiting = Awaiting.none
    private var pendingUser: String?

    mutating func read(_ raw: ArraySlice<UInt8>, dialect: UpgradeAnalyzer.Dialect) -> (mechanism: String, found: Found?) {
        var line = String(decoding: raw, as: UTF8.self)
        while line.hasSuffix("\r") || line.hasSuffix("\n") { line.removeLast() }
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch awaiting {
        case .plain:
            awaiting = .none
            return ("AUTH PLAIN", Self.saslPlain(line))
        case .loginUser:
            awaiting = .loginPassword(user: Self.base64Text(line) ?? line)
            return ("AUTH LOGIN", nil)
        case .loginPassword(let user):
            awaiting = .none
            return ("AUTH LOGIN", Self.base64Text(line).map { Found(user: user, password: $0, base64: true) })
        case .none:
            break
        }
        let upper = words.map { $0.uppercased() }
        switch dialect {
        case .smtp where upper.first == "AUTH" && upper.count >= 2:
            if upper[1] == "PLAIN" {
                if words.count >= 3 { return ("AUTH PLAIN", Self.saslPlain(words[2])) }
                awaiting = .plain
            } else if upper[1] == "LOGIN" {
                if words.count >= 3 { awaiting = .loginPassword(user: Self.base64Text(words[2]) ?? words[2]) } else { awaiting = .loginUser }
            }
            return ("AUTH \(upper[1])", nil)
        case .imap where upper.count >= 4 && upper[1] == "LOGIN":
            return ("LOGIN", Found(user: Self.unquote(words[2]), password: Self.unquote(words[3...].joined(separator: " ")), base64: false))
        case .imap where upper.count >= 3 && upper[1] == "AUTHENTICATE" && upper[2] == "PLAIN":
            if words.count >= 4 { return ("AUTHENTICATE PLAIN", Self.saslPlain(words[3])) }
            awaiting = .plain
            return ("AUTHENTICATE PLAIN", nil)
        case .pop3, .ftp:
            if upper.first == "USER", words.count >= 2 { pendingUser = words[1...].joined(separator: " ") }
            if upper.first == "PASS", words.count >= 2 {
                return ("USER/PASS", Found(user: pendingUser ?? "", password: words[1...].joined(separator: " "), base64: false))
            }
            return ("USER/PASS", nil)
        case .xmpp:
            // <auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>base64</auth>
            guard let open = line.range(of: "<auth "), line.contains("PLAIN"),
                  let close = line.range(of: ">", range: open.upperBound..<line.endIndex),
                  let end = line.range(of: "</auth>", range: close.upperBound..<line.endIndex) else { return ("SASL PLAIN", nil) }
            return ("SASL PLAIN", Self.saslPlain(String(line[close.upperBound..<end.lowerBound])))
        default:
            break
        }
        return ("", nil)
    }

    /// SASL PLAIN (RFC 4616): base64 of authzid NUL authcid NUL password.
    static func saslPlain(_ text: String) -> Found? {
        guard let bytes = Base64Lite.decode(text) else { return nil }
        let parts = bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        return Found(user: String(decoding: parts[1], as: UTF8.self), password: String(decoding: parts[2], as: UTF8.self), base64: true)
    }

    static func base64Text(_ text: String) -> String? {
        Base64Lite.decode(text).map { String(decoding: $0, as: UTF8.self) }
    }

    static func unquote(_ text: String) -> String {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return text }
        return String(text.dropFirst().dropLast())
    }
}

/// Standard base64 (RFC 4648 §4) of a short protocol token; nil when it is not base64.
enum Base64Lite {
    static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): values.append(byte - 65)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): values.append(byte - 97 + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): values.append(byte - 48 + 52)
            case UInt8(ascii: "+"): values.append(62)
            case UInt8(ascii: "/"): values.append(63)
            case UInt8(ascii: "="): continue
            default: return nil
            }
        }
        guard !values.isEmpty, values.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        var index = 0
        while index + 1 < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            let a = chunk[chunk.startIndex], b = chunk[chunk.startIndex + 1]
            output.append(a << 2 | b >> 4)
            if chunk.count > 2 { output.append((b & 0x0F) << 4 | chunk[chunk.startIndex + 2] >> 2) }
            if chunk.count > 3 { output.append((chunk[chunk.startIndex + 2] & 0x03) << 6 | chunk[chunk.startIndex + 3]) }
            index += 4
        }
        return output
    }
}
