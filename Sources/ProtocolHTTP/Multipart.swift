/// Splitting a multipart body (RFC 2046 §5.1, RFC 7578) into its parts.
/// Bounded: at most `maxParts` parts and part headers of at most 16 KiB;
/// a body cut short yields the parts that were complete plus the cut one.
public enum Multipart {
    public static let maxParts = 1000

    public static func parts(body: [UInt8], contentTypeHeader: String) -> [MultipartPart] {
        guard let boundary = HeaderText.parameter("boundary", in: contentTypeHeader),
              !boundary.isEmpty, boundary.utf8.count <= 200 else { return [] }
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [MultipartPart] = []
        // The first delimiter may start the body or follow a preamble line.
        guard var position = find(delimiter, in: body, from: 0, atLineStart: true) else { return [] }
        while parts.count < maxParts {
            var index = position + delimiter.count
            // "--" after the delimiter closes the body.
            if index + 1 < body.count, body[index] == 0x2D, body[index + 1] == 0x2D { break }
            // Skip transport padding and the line end.
            while index < body.count, body[index] == 0x20 || body[index] == 0x09 { index += 1 }
            if index < body.count, body[index] == 0x0D { index += 1 }
            guard index < body.count, body[index] == 0x0A else { break }
            index += 1
            // Part headers up to an empty line.
            var headers: [HTTPHeader] = []
            var headerBytes = 0
            while index < body.count {
                guard let lf = body[index...].firstIndex(of: 0x0A) else { index = body.count; break }
                let end = lf > index && body[lf - 1] == 0x0D ? lf - 1 : lf
                headerBytes += lf + 1 - index
                let line = body[index..<end]
                index = lf + 1
                if line.isEmpty || headerBytes > 16 << 10 { break }
                if let colon = line.firstIndex(of: 0x3A) {
                    headers.append(HTTPHeader(name: HeaderText.trimmed(HeaderText.string(line[line.startIndex..<colon])),
                                              value: HeaderText.trimmed(HeaderText.string(line[(colon + 1)...]))))
                }
            }
            let next = find(delimiter, in: body, from: index, atLineStart: true)
            var bodyEnd = next ?? body.count
            // The CRLF before a delimiter belongs to the delimiter.
            if next != nil {
                if bodyEnd > index, body[bodyEnd - 1] == 0x0A { bodyEnd -= 1 }
                if bodyEnd > index, body[bodyEnd - 1] == 0x0D { bodyEnd -= 1 }
            }
            var part = MultipartPart(headers: headers, body: index < bodyEnd ? Array(body[index..<bodyEnd]) : [])
            for header in headers {
                if HeaderText.equalsIgnoringCase(header.name, "content-disposition") {
                    part.name = HeaderText.parameter("name", in: header.value)
                    part.filename = HeaderText.parameter("filename", in: header.value)
                } else if HeaderText.equalsIgnoringCase(header.name, "content-type") {
                    part.contentType = HeaderText.mediaType(header.value)
                }
            }
            parts.append(part)
            guard let next else { break }
            position = next
        }
        return parts
    }

    /// The next occurrence of `needle` at the start of a line (or of the body).
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int, atLineStart: Bool) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = from
        let last = haystack.count - needle.count
        while index <= last {
            guard let hit = haystack[index...last].firstIndex(of: first) else { return nil }
            if (!atLineStart || hit == 0 || haystack[hit - 1] == 0x0A),
               haystack[hit..<(hit + needle.count)].elementsEqual(needle) {
                return hit
            }
            index = hit + 1
        }
        return nil
    }
}
