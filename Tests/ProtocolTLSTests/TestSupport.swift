import TLSModel
import Foundation
import Testing
import WireBytes
@testable import ProtocolTLS

/// Fixture loading and reader plumbing shared by the ProtocolTLS tests.
enum Fixture {
    /// A handshake message (4-byte header + body) captured by make-fixtures.sh.
    static func message(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "hex", subdirectory: "Fixtures"),
                               "missing fixture \(name).hex")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try #require(bytes(fromHex: text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// The body of a fixture message after checking its type and length.
    static func body(_ name: String, type: HandshakeType) throws -> [UInt8] {
        let bytes = try message(name)
        #expect(bytes.count >= 4)
        #expect(bytes[0] == type.rawValue, "\(name) is type \(bytes[0]), expected \(type)")
        let length = Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        #expect(length == bytes.count - 4)
        return Array(bytes[4...])
    }

    /// tshark's decoding written next to the fixtures: `field=value,value`.
    static func tshark(_ scenario: String) throws -> [String: [String]] {
        let url = try #require(Bundle.module.url(forResource: scenario, withExtension: "tshark", subdirectory: "Fixtures"))
        var fields: [String: [String]] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq])
            let value = line[line.index(after: eq)...]
            fields[key] = key.hasSuffix("ja3_full") ? [String(value)] : value.split(separator: ",").map(String.init)
        }
        return fields
    }

    static func bytes(fromHex hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
            index += 2
        }
        return out
    }
}

/// `0x1302` or `29` (tshark spells some fields in hex, some in decimal).
func tsharkNumber(_ text: String) -> UInt16? {
    text.hasPrefix("0x") ? UInt16(text.dropFirst(2), radix: 16) : UInt16(text)
}

/// Runs `body` over a ByteReader on `bytes`.
func withReader<T>(_ bytes: [UInt8], _ body: (inout ByteReader) throws(ParseError) -> T) throws(ParseError) -> T {
    let span = bytes.span
    var reader = ByteReader(span.bytes)
    return try body(&reader)
}

func parseClientHello(_ bytes: [UInt8]) throws(ParseError) -> ClientHello {
    try withReader(bytes) { (r: inout ByteReader) throws(ParseError) in try ClientHello(parsing: &r) }
}

func parseServerHello(_ bytes: [UInt8]) throws(ParseError) -> ServerHello {
    try withReader(bytes) { (r: inout ByteReader) throws(ParseError) in try ServerHello(parsing: &r) }
}

/// The ParseError `body` throws, or nil.
func parseError<T>(_ body: () throws(ParseError) -> T) -> ParseError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

func isInvalid(_ error: ParseError?) -> Bool {
    if case .invalid = error?.kind { return true }
    return false
}

func isLimit(_ error: ParseError?) -> Bool {
    if case .limitExceeded = error?.kind { return true }
    return false
}

/// Builds ClientHello bodies for tests that need exact control.
struct HelloBuilder {
    var version: UInt16 = 0x0303
    var sessionID: [UInt8] = []
    var ciphers: [UInt16] = [0x1301]
    var compression: [UInt8] = [0]
    var extensions: [(UInt16, [UInt8])] = []

    func bytes() -> [UInt8] {
        var out = u16(version) + [UInt8](repeating: 0x11, count: 32)
        out += [UInt8(sessionID.count)] + sessionID
        out += u16(UInt16(ciphers.count * 2)) + ciphers.flatMap(u16)
        out += [UInt8(compression.count)] + compression
        var block: [UInt8] = []
        for (type, body) in extensions {
            block += u16(type) + u16(UInt16(body.count)) + body
        }
        return out + u16(UInt16(block.count)) + block
    }

    static func sni(_ host: String) -> [UInt8] {
        let name = Array(host.utf8)
        let entry = [0] + u16(UInt16(name.count)) + name
        return u16(UInt16(entry.count)) + entry
    }

    static func alpn(_ names: [[UInt8]]) -> [UInt8] {
        let list = names.flatMap { [UInt8($0.count)] + $0 }
        return u16(UInt16(list.count)) + list
    }

    static func list16(_ values: [UInt16]) -> [UInt8] {
        u16(UInt16(values.count * 2)) + values.flatMap(u16)
    }

    static func versions(_ values: [UInt16]) -> [UInt8] {
        [UInt8(values.count * 2)] + values.flatMap(u16)
    }

    static func keyShare(_ groups: [UInt16]) -> [UInt8] {
        let entries = groups.flatMap { u16($0) + u16(1) + [0x42] }
        return u16(UInt16(entries.count)) + entries
    }
}

func u16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
func u24(_ value: Int) -> [UInt8] { [UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
