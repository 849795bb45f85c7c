/// Why a parser stopped. `truncated` means "not enough bytes yet" and is not the
/// same as `invalid`: a stream parser waits for more data on the first and gives
/// up (or resynchronises) on the second.
public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// At least `needed` more bytes were required.
        case truncated(needed: Int)
        /// The bytes cannot be what the parser expects.
        case invalid(String)
        /// A length or count on the wire exceeds a documented cap.
        case limitExceeded(String)
    }

    public var kind: Kind
    /// Byte offset inside the reader's span where the problem was found.
    public var offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public static func invalid(_ why: String, at offset: Int) -> ParseError {
        ParseError(.invalid(why), at: offset)
    }

    public var isTruncation: Bool {
        if case .truncated = kind { return true }
        return false
    }

    public var description: String {
        switch kind {
        case .truncated(let needed): return "truncated at offset \(offset): \(needed) more byte(s) needed"
        case .invalid(let why): return "invalid at offset \(offset): \(why)"
        case .limitExceeded(let why): return "limit exceeded at offset \(offset): \(why)"
        }
    }
}
