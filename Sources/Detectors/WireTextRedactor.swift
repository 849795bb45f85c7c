import Facts

/// Masks PI inside the strings a report shows that came from the wire (URL
/// paths, field names, decoding chains, server names, certificate names,
/// messages that quote them), the way finding values are masked: a phone
/// number in `GET /users/13812345678/profile` must not reach the report raw
/// because it was the path and not the value.
///
/// Two sources of what to mask: every value the run's detectors found (so a
/// value confirmed elsewhere, e.g. by the device file, is masked wherever it
/// reappears), and the detectors run again over the string itself (so a
/// value seen only there is caught too).
public final class WireTextRedactor: @unchecked Sendable {
    private let inspector: PIInspector
    /// Normalised value (lower case) → its mask; bounded, first values kept.
    private var learned: [String: String] = [:]
    public static let maximumLearned = 65_536

    public init(inspector: PIInspector) {
        self.inspector = inspector
    }

    /// Remembers a detected value; coordinates and summaries (app lists, images) are not spellings that recur.
    public func learn(_ match: PIMatch) {
        switch match.type {
        case .coordinates, .appList, .faceImage, .contactList: return
        default: break
        }
        guard match.value.utf8.count >= 6, learned.count < Self.maximumLearned else { return }
        let key = match.value.lowercased()
        if learned[key] == nil { learned[key] = match.masked }
    }

    /// `text` with every PI value in it replaced by its mask.
    public func redact(_ text: String) -> String {
        // Every value the detectors report holds a digit or an @; most strings hold none of them.
        guard text.utf8.contains(where: { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x40 }) else { return text }
        var replacements: [(String, String)] = []
        for match in inspector.inspect(Array(text.utf8), as: .text) {
            switch match.type {
            case .appList, .faceImage, .contactList: continue
            case .coordinates:
                // "lat,lon" as found; replace each part where it appears literally.
                for part in match.value.split(separator: ",") where part.count >= 6 {
                    replacements.append((String(part), String(part.prefix(while: { $0 != "." })) + ".***"))
                }
            default:
                replacements.append((match.value, match.masked))
            }
        }
        // Learned values, token by token (runs of letters and digits), so the cost is one pass.
        var token = ""
        func flush() {
            if token.utf8.count >= 6, let masked = learned[token.lowercased()] { replacements.append((token, masked)) }
            token = ""
        }
        for character in text {
            if character.isASCII && (character.isLetter || character.isNumber) { token.append(character) } else { flush() }
        }
        flush()
        guard !replacements.isEmpty else { return text }
        var result = text
        // Longest first, so a value is never half-replaced by a shorter one it contains.
        for (value, masked) in replacements.sorted(by: { $0.0.count > $1.0.count }) where !value.isEmpty {
            result = Self.replacing(value, with: masked, in: result)
        }
        return result
    }

    /// Case-insensitive for ASCII letters (a MAC or hex id may be spelled in either case).
    static func replacing(_ value: String, with masked: String, in text: String) -> String {
        let needle = Array(value.lowercased().utf8)
        let haystack = Array(text.utf8)
        guard needle.count <= haystack.count else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(haystack.count)
        var index = 0
        var changed = false
        while index < haystack.count {
            if index + needle.count <= haystack.count, matches(needle, haystack, at: index) {
                out.append(contentsOf: masked.utf8)
                index += needle.count
                changed = true
            } else {
                out.append(haystack[index])
                index += 1
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : text
    }

    @inline(__always) private static func matches(_ needle: [UInt8], _ haystack: [UInt8], at start: Int) -> Bool {
        for offset in 0..<needle.count {
            var byte = haystack[start + offset]
            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            if byte != needle[offset] { return false }
        }
        return true
    }
}
