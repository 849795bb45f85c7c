/// Hexadecimal spelling of bytes and code points: digests, fingerprints,
/// certificate serials, escapes. One implementation for every module.
public enum Hex {
    @usableFromInline static let lower: [UInt8] = Array("0123456789abcdef".utf8)
    @usableFromInline static let upper: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Appends the two digits of `byte`.
    @inlinable
    public static func append(_ byte: UInt8, to out: inout [UInt8], uppercase: Bool = false) {
        let digits = uppercase ? upper : lower
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }

    /// Two digits a byte, as UTF-8 bytes.
    public static func bytes<S: Sequence>(_ bytes: S, uppercase: Bool = false) -> [UInt8] where S.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes { append(byte, to: &out, uppercase: uppercase) }
        return out
    }

    /// Two digits a byte.
    public static func string<S: Sequence>(_ bytes: S, uppercase: Bool = false) -> String where S.Element == UInt8 {
        String(decoding: Self.bytes(bytes, uppercase: uppercase), as: UTF8.self)
    }

    /// `0xC02F`: a 16-bit code point as registries and reports spell it.
    public static func code16(_ value: UInt16) -> String {
        "0x" + string([UInt8(value >> 8), UInt8(value & 0xFF)], uppercase: true)
    }
}

extension Array where Element == UInt8 {
    /// Lowercase hex, two digits a byte.
    public var hexString: String { Hex.string(self) }
}
