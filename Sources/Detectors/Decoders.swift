import WireCodings
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The encodings apps wrap identifiers in. Each decoder is strict about its
/// alphabet and capped at `limit` output bytes, so a wrong guess is cheap.
enum Decoders {
    static func hasPercentEscape(_ b: Bytes) -> Bool {
        guard b.count >= 3, let base = b.baseAddress else { return false }
        var i = 0
        let last = b.count - 2
        while i < last {
            guard let hit = memchr(base + i, Int32(UInt8(ascii: "%")), last - i) else { return false }
            let k = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
            if ByteClass.isHex(b[k + 1]), ByteClass.isHex(b[k + 2]) { return true }
            i = k + 1
        }
        return false
    }

    static func percentDecode(_ b: Bytes, plusIsSpace: Bool, limit: Int = .max) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(min(b.count, limit))
        var i = 0
        while i < b.count, out.count < limit {
            let c = b[i]
            if c == UInt8(ascii: "%"), i + 2 < b.count, let h = ByteClass.hexValue(b[i + 1]), let l = ByteClass.hexValue(b[i + 2]) {
                out.append(h << 4 | l); i += 3
            } else {
                out.append(plusIsSpace && c == UInt8(ascii: "+") ? UInt8(ascii: " ") : c); i += 1
            }
        }
        return out
    }

    /// Each byte's base64 value (either alphabet), 0xFF outside them. Raw storage, for
    /// hot loops (no global-array retain per call).
    nonisolated(unsafe) static let base64Values: UnsafeBufferPointer<UInt8> = {
        let t = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)
        t.initialize(repeating: 0xFF)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8.enumerated() { t[Int(c)] = UInt8(i) }
        t[Int(UInt8(ascii: "+"))] = 62; t[Int(UInt8(ascii: "-"))] = 62
        t[Int(UInt8(ascii: "/"))] = 63; t[Int(UInt8(ascii: "_"))] = 63
        return UnsafeBufferPointer(t)
    }()

    /// Standard and URL-safe alphabets, padding optional; nil when any byte is
    /// outside the alphabet or the length cannot be base64.
    static func base64Decode(_ input: Bytes, limit: Int = .max) -> [UInt8]? {
        guard let capacity = base64Capacity(input, limit: limit) else { return nil }
        var ok = true
        let out = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            if let n = base64Decode(input, into: buffer.baseAddress!, limit: limit) { count = n } else { ok = false; count = 0 }
        }
        return ok ? out : nil
    }

    /// Calls `body` with the decoded bytes (on the stack when small); nothing when `input` is not base64.
    static func withBase64Decoded(_ input: Bytes, limit: Int, _ body: (Bytes) -> Void) {
        guard let capacity = base64Capacity(input, limit: limit) else { return }
        if capacity > 2048 {
            if let decoded = base64Decode(input, limit: limit) { decoded.withUnsafeBufferPointer(body) }
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            guard let n = base64Decode(input, into: buffer.baseAddress!, limit: limit) else { return }
            body(Bytes(rebasing: buffer[0..<n]))
        }
    }

    /// Output size (at least 1), or nil when the padding or length cannot be base64.
    private static func base64Capacity(_ input: Bytes, limit: Int) -> Int? {
        var end = input.count
        while end > 0, input[end - 1] == UInt8(ascii: "=") { end -= 1 }
        guard input.count - end <= 2, end % 4 != 1, end > 0 else { return nil }
        return max(1, min(end * 3 / 4, limit))
    }

    /// Decodes into `out` (room for `base64Capacity` bytes); nil when a byte is outside the alphabet.
    private static func base64Decode(_ input: Bytes, into out: UnsafeMutablePointer<UInt8>, limit: Int) -> Int? {
        var end = input.count
        while end > 0, input[end - 1] == UInt8(ascii: "=") { end -= 1 }
        let table = base64Values
        var count = 0
        var acc: UInt32 = 0, bits = 0
        for i in 0..<end {
            let v = table[Int(input[i])]
            if v == 0xFF { return nil }
            acc = acc << 6 | UInt32(v); bits += 6
            if bits >= 8 {
                bits -= 8
                out[count] = UInt8(truncatingIfNeeded: acc >> UInt32(bits))
                count += 1
                if count >= limit { break }
            }
        }
        return count
    }

    static func hexDecode(_ b: Bytes, limit: Int = .max) -> [UInt8]? {
        guard b.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(min(b.count / 2, limit))
        var i = 0
        while i < b.count, out.count < limit {
            guard let h = ByteClass.hexValue(b[i]), let l = ByteClass.hexValue(b[i + 1]) else { return nil }
            out.append(h << 4 | l); i += 2
        }
        return out
    }

    /// RFC 4648 base32, case-insensitive (DNS lower-cases labels), padding optional.
    static func base32Decode(_ b: Bytes, limit: Int = .max) -> [UInt8]? {
        var out = [UInt8]()
        var acc: UInt64 = 0, bits = 0
        for c in b {
            if c == UInt8(ascii: "=") { break }
            let l = ByteClass.lower(c)
            let v: UInt8
            if l &- 97 < 26 { v = l &- 97 } else if l &- 50 < 6 { v = l &- 50 + 26 } else { return nil }
            acc = acc << 5 | UInt64(v); bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt64(bits)))
                if out.count >= limit { break }
            }
        }
        return out
    }

    static func isGzip(_ b: Bytes) -> Bool { b.count >= 18 && b[0] == 0x1F && b[1] == 0x8B && b[2] == 8 }

    static func isZlib(_ b: Bytes) -> Bool {
        guard b.count >= 6, b[0] & 0x0F == 8, b[0] >> 4 <= 7 else { return false }
        return (UInt16(b[0]) << 8 | UInt16(b[1])) % 31 == 0 && b[1] & 0x20 == 0
    }

    /// Inflates gzip (windowBits 31) or zlib (15). Truncated or corrupt streams
    /// yield whatever was produced before the error, which may still hold PI.
    static func inflate(_ b: Bytes, gzip: Bool, limit: Int) -> [UInt8]? {
        let result = Decompression.inflate(b, windowBits: gzip ? 31 : 15, limit: limit)
        return result.output.isEmpty ? nil : result.output
    }

    /// "Mostly printable": at least 90% of bytes are printable ASCII, whitespace
    /// or part of a well-formed multi-byte UTF-8 sequence. Random binary fails fast.
    static func isMostlyPrintable(_ b: Bytes) -> Bool {
        guard !b.isEmpty else { return false }
        var bad = 0
        var i = 0
        let allowed = b.count / 10
        while i < b.count {
            let c = b[i]
            if c >= 0x20 && c < 0x7F || c == 9 || c == 10 || c == 13 {
                i += 1
            } else if c >= 0xC2 && c <= 0xF4 {
                let len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
                var ok = i + len <= b.count
                if ok { for k in 1..<len where b[i + k] & 0xC0 != 0x80 { ok = false } }
                if ok { i += len } else { bad += 1; i += 1 }
            } else {
                bad += 1; i += 1
            }
            if bad > allowed { return false }
        }
        return true
    }
}
