/// The detectors' view of the bytes they inspect: borrowed, never copied.
typealias Bytes = UnsafeBufferPointer<UInt8>

/// Per-byte classification for the single-pass scanner: one table load per byte
/// answers every question the hot loop asks.
enum ByteClass {
    static let digit: UInt8 = 1
    static let hexLetter: UInt8 = 2
    static let upper: UInt8 = 4
    static let lower: UInt8 = 8
    /// Characters that extend an alphanumeric run into a base64/base64url run.
    static let b64Extra: UInt8 = 16
    static let word: UInt8 = 32
    /// Bytes after which a new value may start in text (`=`, `:`, quotes).
    static let valueLead: UInt8 = 64
    static let hex: UInt8 = 128

    static let table: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        for c in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(c)] = digit | word }
        for c in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(c)] = lower | word }
        for c in UInt8(ascii: "A")...UInt8(ascii: "Z") { t[Int(c)] = upper | word }
        for c in UInt8(ascii: "a")...UInt8(ascii: "f") { t[Int(c)] |= hexLetter }
        for c in UInt8(ascii: "A")...UInt8(ascii: "F") { t[Int(c)] |= hexLetter }
        for c in "0123456789abcdefABCDEF".utf8 { t[Int(c)] |= hex }
        for c in "+/-_".utf8 { t[Int(c)] = b64Extra }
        for c in "=:\"'".utf8 { t[Int(c)] |= valueLead }
        return t
    }()

    /// The same table in raw storage, for hot loops (no global-array retain per call).
    nonisolated(unsafe) static let tableBuffer: UnsafeBufferPointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        p.initialize(from: table, count: 256)
        return UnsafeBufferPointer(start: p, count: 256)
    }()

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 48 < 10 }
    @inline(__always) static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) &- 97 < 26 }
    @inline(__always) static func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isAlpha(c) }
    @inline(__always) static func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20) &- 97 < 6 }
    @inline(__always) static func hexValue(_ c: UInt8) -> UInt8? {
        if isDigit(c) { return c &- 48 }
        let l = c | 0x20
        if l &- 97 < 6 { return l &- 87 }
        return nil
    }
    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { (c &- 65 < 26) ? c | 0x20 : c }
}
