import TLSModel
import Testing
import WireBytes
@testable import ProtocolTLS

/// Hostile and broken input: nothing may crash, lengths that lie must throw.
@Suite struct MalformedInputTests {
    /// Every handshake fixture with the parser for its type.
    static func parseAny(_ type: UInt8, _ bytes: [UInt8], tls13: Bool, version: ProtocolVersion = .tls12) -> ParseError? {
        parseError { () throws(ParseError) in
            try withReader(bytes) { (r: inout ByteReader) throws(ParseError) in
                switch type {
                case 1: _ = try ClientHello(parsing: &r)
                case 2: _ = try ServerHello(parsing: &r)
                case 8: _ = try EncryptedExtensions(parsing: &r)
                case 11: _ = try CertificateMessage(parsing: &r, format: tls13 ? .tls13 : .tls12)
                case 12: _ = try ServerKeyExchange(parsing: &r, keyExchange: .ecdhe, authentication: .rsa, version: version)
                case 13: _ = try CertificateRequest(parsing: &r, version: tls13 ? .tls13 : .tls12)
                case 15: _ = try CertificateVerify(parsing: &r, version: .tls12)
                default: _ = try ClientHello(sslv2Message: &r)
                }
            }
        }
    }

    static let fixtures = ["tls13.1", "tls12.1", "tls10.1", "hrr.1.2", "tls12.2", "tls13.2", "hrr.2", "tls13.8",
                           "tls12.11", "tls13.11", "tls12.12", "tls10.12", "tls12.13", "tls13.13", "tls12.15", "tls13.15"]

    /// Every strict prefix of a ClientHello either parses (only the one that
    /// ends right after compression_methods: a hello without extensions) or
    /// throws `truncated`, never crashes.
    @Test(arguments: ["tls13.1", "tls12.1", "tls10.1", "hrr.1"])
    func everyClientHelloPrefix(name: String) throws {
        let body = try Fixture.body(name, type: .clientHello)
        let hello = try parseClientHello(body)
        let extensionsStart = 2 + 32 + 1 + hello.sessionID.count + 2 + hello.cipherSuites.count * 2 + 1 + hello.compressionMethods.count
        for length in 0..<body.count {
            let error = parseError { () throws(ParseError) in try parseClientHello(Array(body[..<length])) }
            if length == extensionsStart {
                #expect(error == nil)
            } else {
                #expect(error?.isTruncation == true, "prefix \(length): \(String(describing: error))")
            }
        }
    }

    @Test(arguments: fixtures)
    func everyPrefixOfEveryMessage(name: String) throws {
        let message = try Fixture.message(name)
        let body = Array(message[4...])
        let tls13 = name.hasPrefix("tls13") || name.hasPrefix("hrr")
        let version: ProtocolVersion = name.hasPrefix("tls10") ? .tls10 : .tls12
        #expect(Self.parseAny(message[0], body, tls13: tls13, version: version) == nil)
        for length in 0..<body.count {
            _ = Self.parseAny(message[0], Array(body[..<length]), tls13: tls13, version: version)
        }
        // Any extra byte after the message is refused.
        #expect(isInvalid(Self.parseAny(message[0], body + [0], tls13: tls13, version: version)))
    }

    /// Deterministic random corruption of every fixture: must not crash.
    @Test(arguments: fixtures)
    func corruptedBytes(name: String) throws {
        let message = try Fixture.message(name)
        let body = Array(message[4...])
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(body.count)
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for _ in 0..<300 {
            var mutated = body
            for _ in 0..<(1 + next() % 4) {
                mutated[next() % mutated.count] = UInt8(truncatingIfNeeded: next())
            }
            _ = Self.parseAny(message[0], mutated, tls13: name.hasPrefix("tls13"))
            _ = Self.parseAny(0xFF, mutated, tls13: false)  // as an SSL 2.0 hello too
        }
    }

    @Test func lyingLengthsThrow() throws {
        let body = try Fixture.body("tls13.1", type: .clientHello)
        let sessionLengthAt = 34
        let cipherLengthAt = sessionLengthAt + 1 + Int(body[sessionLengthAt])
        func error(_ patch: (inout [UInt8]) -> Void) -> ParseError? {
            var bytes = body
            patch(&bytes)
            return parseError { () throws(ParseError) in try parseClientHello(bytes) }
        }
        // session id longer than 32
        #expect(isInvalid(error { $0[sessionLengthAt] = 33 }))
        // cipher_suites claims the whole message and more
        #expect(error { $0[cipherLengthAt] = 0xFF } != nil)
        // odd cipher_suites length
        #expect(isInvalid(error { $0[cipherLengthAt + 1] &+= 1 }))
        // extensions block one byte shorter than its content: the last extension is truncated
        var shorter = body
        let extensionsLengthAt = cipherLengthAt + 2 + (Int(body[cipherLengthAt]) << 8 | Int(body[cipherLengthAt + 1])) + 1 + 1
        shorter[extensionsLengthAt + 1] &-= 1
        #expect(parseError { () throws(ParseError) in try parseClientHello(shorter) } != nil)
        // extensions block one byte longer than the message
        var longer = body
        longer[extensionsLengthAt + 1] &+= 1
        #expect(parseError { () throws(ParseError) in try parseClientHello(longer) }?.isTruncation == true)
    }

    @Test func extensionWithTrailingBytesThrows() throws {
        var builder = HelloBuilder()
        builder.extensions = [(0x000a, HelloBuilder.list16([0x001d]) + [0x00])]
        #expect(isInvalid(parseError { () throws(ParseError) in try parseClientHello(builder.bytes()) }))
        for (type, body) in [(UInt16(0), HelloBuilder.sni("a") + [0]), (0x000b, [1, 0, 0]), (0x000d, HelloBuilder.list16([0x0403]) + [1]),
                             (0x0010, HelloBuilder.alpn([[0x68, 0x32]]) + [0]), (0x002b, HelloBuilder.versions([0x0304]) + [3]),
                             (0x0033, HelloBuilder.keyShare([0x001d]) + [0])] {
            builder.extensions = [(type, body)]
            #expect(isInvalid(parseError { () throws(ParseError) in try parseClientHello(builder.bytes()) }), "extension \(type)")
        }
        // An extension length that runs past the block.
        builder.extensions = [(0x000a, HelloBuilder.list16([0x001d]))]
        var bytes = builder.bytes()
        bytes[bytes.count - 5] &+= 1
        #expect(parseError { () throws(ParseError) in try parseClientHello(bytes) } != nil)
        // A vector inside an extension whose length runs past the extension body.
        builder.extensions = [(0x000a, [0x00, 0x04, 0x00, 0x1d])]
        #expect(parseError { () throws(ParseError) in try parseClientHello(builder.bytes()) }?.isTruncation == true)
    }

    @Test func duplicateExtensionsThrow() {
        var builder = HelloBuilder()
        builder.extensions = [(0x0017, []), (0x0023, []), (0x0017, [])]
        #expect(isInvalid(parseError { () throws(ParseError) in try parseClientHello(builder.bytes()) }))
        var server = u16(0x0303) + [UInt8](repeating: 7, count: 32) + [0] + u16(0x1301) + [0]
        let ext = u16(43) + u16(2) + u16(0x0304)
        server += u16(UInt16(ext.count * 2)) + ext + ext
        #expect(isInvalid(parseError { () throws(ParseError) in try parseServerHello(server) }))
    }

    @Test func tooManyExtensionsIsALimit() {
        var builder = HelloBuilder()
        builder.extensions = (0..<600).map { (UInt16(0x1000 + $0), []) }
        #expect(isLimit(parseError { () throws(ParseError) in try parseClientHello(builder.bytes()) }))
    }

    @Test func serverHelloALPNMustNameOneProtocol() {
        let alpn = HelloBuilder.alpn([[0x68, 0x32], [0x68, 0x33]])
        let ext = u16(16) + u16(UInt16(alpn.count)) + alpn
        let server = u16(0x0303) + [UInt8](repeating: 7, count: 32) + [0] + u16(0xc02f) + [0] + u16(UInt16(ext.count)) + ext
        #expect(isInvalid(parseError { () throws(ParseError) in try parseServerHello(server) }))
    }
}
