import CertificateModel
import Foundation
import Testing

@testable import ProtocolX509

/// Access to the files written by `Fixtures/make-fixtures.sh`.
enum Fixtures {
    static let directory: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent("certs").appendingPathComponent(name)))
    }

    static func certificate(_ name: String) throws -> ObservedCertificate {
        let result = CertificateParse.parse(try bytes(name))
        guard case .certificate(let cert) = result else {
            Issue.record("\(name) did not parse: \(result)")
            throw FixtureError.notACertificate(name)
        }
        return cert
    }

    struct ManifestEntry: Sendable, CustomTestStringConvertible {
        let file: String
        let sha256: String
        let notBefore: Int64
        let notAfter: Int64
        let subject: String
        var testDescription: String { file }
    }

    /// `manifest.tsv`: what OpenSSL reported for each fixture when it was generated.
    static let manifest: [ManifestEntry] = {
        guard let text = try? String(contentsOf: directory.appendingPathComponent("manifest.tsv"), encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 5, let nb = Int64(f[2]), let na = Int64(f[3]) else { return nil }
            return ManifestEntry(file: f[0], sha256: f[1], notBefore: nb, notAfter: na, subject: f[4])
        }
    }()
}

enum FixtureError: Error {
    case notACertificate(String)
}

/// Minimal DER builder for hand-made (often deliberately odd) certificates.
enum DERBuilder {
    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var out = [tag]
        let n = content.count
        if n < 0x80 {
            out.append(UInt8(n))
        } else {
            var lengthBytes: [UInt8] = []
            var v = n
            while v > 0 { lengthBytes.insert(UInt8(v & 0xff), at: 0); v >>= 8 }
            out.append(0x80 | UInt8(lengthBytes.count))
            out += lengthBytes
        }
        return out + content
    }

    static func seq(_ parts: [UInt8]...) -> [UInt8] { tlv(0x30, parts.flatMap { $0 }) }
    static func set(_ parts: [UInt8]...) -> [UInt8] { tlv(0x31, parts.flatMap { $0 }) }
    static func int(_ bytes: [UInt8]) -> [UInt8] { tlv(0x02, bytes) }
    static func bitString(_ bytes: [UInt8]) -> [UInt8] { tlv(0x03, [0] + bytes) }
    static func utf8(_ s: String) -> [UInt8] { tlv(0x0c, Array(s.utf8)) }
    static func utcTime(_ s: String) -> [UInt8] { tlv(0x17, Array(s.utf8)) }
    static let null: [UInt8] = [0x05, 0x00]

    static func oid(_ dotted: String) -> [UInt8] {
        let arcs = dotted.split(separator: ".").map { UInt64($0)! }
        var body: [UInt8] = []
        func base128(_ v: UInt64) {
            var chunk: [UInt8] = [UInt8(v & 0x7f)]
            var rest = v >> 7
            while rest > 0 { chunk.insert(UInt8(rest & 0x7f) | 0x80, at: 0); rest >>= 7 }
            body += chunk
        }
        base128(arcs[0] * 40 + arcs[1])
        for arc in arcs.dropFirst(2) { base128(arc) }
        return tlv(0x06, body)
    }

    static func name(cn: String) -> [UInt8] {
        seq(set(seq(oid("2.5.4.3"), utf8(cn))))
    }

    /// A structurally complete certificate with the given pieces.
    static func certificate(
        spki: [UInt8],
        signature: [UInt8] = seq(oid("1.2.840.113549.1.1.11"), null),
        notBefore: [UInt8] = utcTime("240229120000Z"),
        notAfter: [UInt8] = utcTime("500101000000Z"),
        extensions: [UInt8]? = nil
    ) -> [UInt8] {
        var tbsParts: [UInt8] = tlv(0xa0, int([2])) + int([0x00, 0x80, 0x01]) + signature
        tbsParts += name(cn: "issuer") + seq(notBefore, notAfter) + name(cn: "subject") + spki
        if let extensions { tbsParts += tlv(0xa3, seq(extensions)) }
        return seq(tlv(0x30, tbsParts), signature, bitString([1, 2, 3]))
    }
}
