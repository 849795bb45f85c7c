/// Recognising HTTP/1.x start lines from raw bytes. Used to decide whether a
/// direction is HTTP at all (content, not port, decides) and to find the next
/// message after a gap or a framing error.
enum StartLine {
    enum Parsed {
        case request(method: String, target: String, version: String)
        case response(version: String, status: Int, reason: String)
    }

    static let maxMethodLength = 32

    /// RFC 9110 §5.6.2 tchar.
    @inline(__always) static func isTokenChar(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: return true
        default: return false
        }
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static let httpPrefix: [UInt8] = Array("HTTP/1.".utf8)

    /// Whether the first bytes of a line could still grow into a start line
    /// for this role. Checks only what is cheap: the method token and the
    /// space after it, or the `HTTP/1.x SP` prefix and the status digits.
    static func plausiblePrefix(_ bytes: [UInt8], from start: Int, to end: Int, role: HTTPRole) -> Bool {
        let count = end - start
        guard count > 0 else { return true }
        switch role {
        case .client:
            var index = start
            while index < end, isTokenChar(bytes[index]) {
                index += 1
                if index - start > maxMethodLength { return false }
            }
            if index == end { return true }
            guard index > start, bytes[index] == 0x20 else { return false }
            // First byte of the target: not a space or control.
            if index + 1 < end { return bytes[index + 1] > 0x20 && bytes[index + 1] != 0x7F }
            return true
        case .server:
            for offset in 0..<min(count, 13) {
                let byte = bytes[start + offset]
                switch offset {
                case 0..<7: if byte != httpPrefix[offset] { return false }
                case 7: if !isDigit(byte) { return false }
                case 8: if byte != 0x20 { return false }
                case 9, 10, 11: if !isDigit(byte) { return false }
                default: if byte == 0x0A { return true }   // "HTTP/1.1 200\n"
                    if byte != 0x20 && byte != 0x0D { return false }
                }
            }
            return true
        }
    }

    /// Parses one line (without its CR LF) as a start line for this role.
    static func parse(_ bytes: [UInt8], from start: Int, to end: Int, role: HTTPRole) -> Parsed? {
        switch role {
        case .client: return parseRequest(bytes, start, end)
        case .server: return parseResponse(bytes, start, end)
        }
    }

    private static func version(_ bytes: [UInt8], _ start: Int, _ end: Int) -> String? {
        guard end - start == 8 else { return nil }
        for offset in 0..<7 where bytes[start + offset] != httpPrefix[offset] { return nil }
        guard isDigit(bytes[start + 7]) else { return nil }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private static func parseRequest(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Parsed? {
        var index = start
        while index < end, isTokenChar(bytes[index]) { index += 1 }
        let methodEnd = index
        guard methodEnd > start, methodEnd - start <= maxMethodLength, index < end, bytes[index] == 0x20 else { return nil }
        index += 1
        let targetStart = index
        while index < end, bytes[index] > 0x20, bytes[index] != 0x7F { index += 1 }
        let targetEnd = index
        guard targetEnd > targetStart, index < end, bytes[index] == 0x20 else { return nil }
        index += 1
        guard let version = version(bytes, index, end) else { return nil }
        return .request(method: String(decoding: bytes[start..<methodEnd], as: UTF8.self),
                        target: HeaderText.string(bytes[targetStart..<targetEnd]), version: version)
    }

    private static func parseResponse(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Parsed? {
        guard end - start >= 12, let version = version(bytes, start, start + 8), bytes[start + 8] == 0x20 else { return nil }
        var status = 0
        for offset in 9..<12 {
            let byte = bytes[start + offset]
            guard isDigit(byte) else { return nil }
            status = status * 10 + Int(byte - 0x30)
        }
        guard status >= 100 else { return nil }
        var reason = ""
        if end - start > 12 {
            guard bytes[start + 12] == 0x20 else { return nil }
            for index in (start + 13)..<end where bytes[index] < 0x20 && bytes[index] != 0x09 { return nil }
            reason = HeaderText.string(bytes[(start + 13)..<end])
        }
        return .response(version: version, status: status, reason: reason)
    }
}
