import Crypto
import Foundation
import _CryptoExtras
import WireBytes

/// The QUIC versions whose Initial packets wirecheck can open: each has its
/// own salt, its own HKDF labels and its own long-header type numbers.
public enum QUICVersion: Sendable, Hashable {
    /// RFC 9000/9001: 0x00000001.
    case v1
    /// RFC 9369: 0x6B3343CF.
    case v2
    /// draft-29 (0xFF00001D) and the drafts 30–32 that kept its salt.
    case draft29

    public init?(wire: UInt32) {
        switch wire {
        case 0x0000_0001: self = .v1
        case 0x6B33_43CF: self = .v2
        case 0xFF00_001D...0xFF00_0020: self = .draft29
        default: return nil
        }
    }

    /// RFC 9001 §5.2, RFC 9369 §3.3.1, draft-ietf-quic-tls-29 §5.2.
    var initialSalt: [UInt8] {
        switch self {
        case .v1: [0x38, 0x76, 0x2C, 0xF7, 0xF5, 0x59, 0x34, 0xB3, 0x4D, 0x17, 0x9A, 0xE6, 0xA4, 0xC8, 0x0C, 0xAD, 0xCC, 0xBB, 0x7F, 0x0A]
        case .v2: [0x0D, 0xED, 0xE3, 0xDE, 0xF7, 0x00, 0xA6, 0xDB, 0x81, 0x93, 0x81, 0xBE, 0x6E, 0x26, 0x9D, 0xCB, 0xF9, 0xBD, 0x2E, 0xD9]
        case .draft29: [0xAF, 0xBF, 0xEC, 0x28, 0x99, 0x93, 0xD2, 0x4C, 0x9E, 0x97, 0x86, 0xF1, 0x9C, 0x61, 0x11, 0xE0, 0x43, 0x90, 0xA8, 0x99]
        }
    }

    /// QUIC v2 renamed the key, iv and hp labels (RFC 9369 §3.3.2).
    var labelPrefix: String { self == .v2 ? "quicv2 " : "quic " }

    /// The long-header packet type of an Initial (RFC 9369 §3.2 permutes the types).
    var initialType: UInt8 { self == .v2 ? 1 : 0 }
    var retryType: UInt8 { self == .v2 ? 0 : 3 }
}

/// One direction's Initial packet protection: AEAD_AES_128_GCM with the key
/// and IV derived from the client's Destination Connection ID, and AES-128
/// header protection (RFC 9001 §5.2–§5.4). Derived once per connection ID.
struct QUICInitialKeys {
    let key: SymmetricKey
    let iv: [UInt8]
    let headerProtection: SymmetricKey

    init(version: QUICVersion, destinationConnectionID: [UInt8], fromServer: Bool) {
        let initialSecret = HKDF<SHA256>.extract(inputKeyMaterial: SymmetricKey(data: destinationConnectionID), salt: version.initialSalt)
        let secret = Self.expandLabel(initialSecret, fromServer ? "server in" : "client in", length: 32)
        key = Self.expandLabel(secret, version.labelPrefix + "key", length: 16)
        iv = Self.expandLabel(secret, version.labelPrefix + "iv", length: 12).withUnsafeBytes { Array($0) }
        headerProtection = Self.expandLabel(secret, version.labelPrefix + "hp", length: 16)
    }

    /// HKDF-Expand-Label (RFC 8446 §7.1) with an empty context.
    static func expandLabel<PRK: ContiguousBytes>(_ secret: PRK, _ label: String, length: Int) -> SymmetricKey {
        let full = Array("tls13 \(label)".utf8)
        var info: [UInt8] = [UInt8(length >> 8), UInt8(length & 0xFF), UInt8(full.count)]
        info += full
        info.append(0)
        return HKDF<SHA256>.expand(pseudoRandomKey: secret, info: info, outputByteCount: length)
    }

    /// Why a protected packet could not be opened.
    enum OpenFailure: Error {
        /// Too short to hold a packet number and a header-protection sample.
        case tooShort
        /// The AEAD tag does not verify: other keys (a Retry changed the connection ID, 0-RTT, a corrupt packet).
        case authentication
    }

    /// Removes header protection and decrypts one long-header packet.
    /// `packet` runs from the first byte to the end of the packet (its Length
    /// field's extent); `packetNumberOffset` is where the packet number starts.
    /// Returns the plaintext payload (the frames).
    func open(_ packet: RawSpan, packetNumberOffset: Int, largestSeen: UInt64?) throws(OpenFailure) -> (packetNumber: UInt64, payload: [UInt8]) {
        // The sample starts 4 bytes after the packet number's first byte, whatever its length (§5.4.2).
        guard packetNumberOffset + 4 + 16 <= packet.byteCount else { throw .tooShort }
        var mask = packet.extracting((packetNumberOffset + 4)..<(packetNumberOffset + 20)).withUnsafeBytes { Array($0) }
        do {
            try AES.permute(&mask, key: headerProtection)
        } catch {
            throw .authentication
        }
        var header = packet.extracting(0..<packetNumberOffset).withUnsafeBytes { Array($0) }
        header[0] ^= mask[0] & 0x0F
        let packetNumberLength = Int(header[0] & 0x03) + 1
        guard packetNumberOffset + packetNumberLength + 16 <= packet.byteCount else { throw .tooShort }
        var truncated: UInt64 = 0
        for index in 0..<packetNumberLength {
            let byte = packet.unsafeLoad(fromByteOffset: packetNumberOffset + index, as: UInt8.self) ^ mask[1 + index]
            header.append(byte)
            truncated = truncated << 8 | UInt64(byte)
        }
        let packetNumber = Self.decodePacketNumber(truncated: truncated, bits: packetNumberLength * 8, largest: largestSeen)
        var nonce = iv
        for index in 0..<8 { nonce[4 + index] ^= UInt8(truncatingIfNeeded: packetNumber >> (8 * (7 - index))) }
        let body = packet.extracting((packetNumberOffset + packetNumberLength)..<packet.byteCount)
        let ciphertext = body.extracting(0..<(body.byteCount - 16)).withUnsafeBytes { Array($0) }
        let tag = body.extracting((body.byteCount - 16)..<body.byteCount).withUnsafeBytes { Array($0) }
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
            return (packetNumber, Array(try AES.GCM.open(box, using: key, authenticating: header)))
        } catch {
            throw .authentication
        }
    }

    /// RFC 9000 Appendix A.3: the full packet number closest to the next expected one.
    static func decodePacketNumber(truncated: UInt64, bits: Int, largest: UInt64?) -> UInt64 {
        let expected = largest.map { $0 &+ 1 } ?? 0
        let window: UInt64 = 1 << UInt64(bits)
        let halfWindow = window / 2
        let mask = window - 1
        let candidate = (expected & ~mask) | truncated
        if expected >= halfWindow, candidate <= expected - halfWindow, candidate < (1 << 62) - window {
            return candidate + window
        }
        if candidate > expected + halfWindow, candidate >= window {
            return candidate - window
        }
        return candidate
    }
}

/// QUIC variable-length integers (RFC 9000 §16).
enum QUICVarint {
    /// The integer at `offset` and the bytes it used; nil when truncated.
    static func read(_ bytes: RawSpan, at offset: Int) -> (value: UInt64, length: Int)? {
        guard offset < bytes.byteCount else { return nil }
        let first = bytes.unsafeLoad(fromByteOffset: offset, as: UInt8.self)
        let length = 1 << Int(first >> 6)
        guard offset + length <= bytes.byteCount else { return nil }
        var value = UInt64(first & 0x3F)
        for index in 1..<length {
            value = value << 8 | UInt64(bytes.unsafeLoad(fromByteOffset: offset + index, as: UInt8.self))
        }
        return (value, length)
    }
}
