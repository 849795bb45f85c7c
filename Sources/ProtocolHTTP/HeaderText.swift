/// Byte-level helpers for header text. Header bytes become Strings as UTF-8
/// when valid and as ISO-8859-1 otherwise, so no byte is lost or replaced.
enum HeaderText {
    static func string<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) where lower(p) != lower(q) { return false }
        return true
    }

    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }

    static func trimmed(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var lo = 0, hi = bytes.count
        while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1 }
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }

    /// Comma-separated list members, trimmed and lowercased, over all field lines.
    static func listMembers(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map { trimmed(String($0)).lowercased() } }.filter { !$0.isEmpty }
    }

    static func listContains(_ values: [String], _ token: String) -> Bool {
        listMembers(values).contains(token)
    }

    /// `text/html; charset=utf-8` → `text/html`.
    static func mediaType(_ value: String) -> String? {
        let type = trimmed(String(value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")).lowercased()
        return type.isEmpty ? nil : type
    }

    /// A parameter of a header value such as `boundary` or `filename`,
    /// quoted (with backslash escapes) or a bare token.
    static func parameter(_ name: String, in value: String) -> String? {
        let bytes = Array(value.utf8)
        var index = 0
        // Skip the leading value (media type or disposition type).
        while index < bytes.count, bytes[index] != 0x3B { index += 1 }
        while index < bytes.count {
            index += 1 // ';'
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
            let nameStart = index
            while index < bytes.count, bytes[index] != 0x3D, bytes[index] != 0x3B { index += 1 }
            let key = trimmed(String(decoding: bytes[nameStart..<index], as: UTF8.self))
            var parsed = ""
            if index < bytes.count, bytes[index] == 0x3D {
                index += 1
                while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
                if index < bytes.count, bytes[index] == 0x22 {
                    index += 1
                    var out: [UInt8] = []
                    while index < bytes.count, bytes[index] != 0x22 {
                        if bytes[index] == 0x5C, index + 1 < bytes.count { index += 1 }
                        out.append(bytes[index])
                        index += 1
                    }
                    while index < bytes.count, bytes[index] != 0x3B { index += 1 }
                    parsed = string(out)
                } else {
                    let start = index
                    while index < bytes.count, bytes[index] != 0x3B { index += 1 }
                    parsed = trimmed(String(decoding: bytes[start..<index], as: UTF8.self))
                }
            }
            if equalsIgnoringCase(key, name) { return parsed }
        }
        return nil
    }
}
