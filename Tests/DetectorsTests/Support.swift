import Facts
@testable import Detectors

/// Shared helpers: inspect a string as some content kind and pick out matches.
enum T {
    static let plain = PIInspector()

    static func run(_ s: String, _ kind: ContentKind = .text, field: String? = nil, decoding: [String] = [],
                    inspector: PIInspector = plain) -> [PIMatch] {
        inspector.inspect(Array(s.utf8), as: kind, field: field, decoding: decoding)
    }

    static func of(_ type: PIType, _ matches: [PIMatch]) -> [PIMatch] { matches.filter { $0.type == type } }

    static func bytes(_ s: String) -> UnsafeBufferPointer<UInt8> {
        let a = Array(s.utf8)
        let p = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(a.count, 1))
        _ = p.initialize(from: a)
        return UnsafeBufferPointer(rebasing: p[0..<a.count])
    }
}
