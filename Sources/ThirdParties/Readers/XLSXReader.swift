import WireCodings

/// The first worksheet of an `.xlsx` workbook (ECMA-376: a ZIP of XML parts),
/// read natively: the ZIP central directory, stored or deflated members,
/// `xl/workbook.xml` and its relationships for the first sheet,
/// `xl/sharedStrings.xml`, the sheet's cells and its merged ranges (a merged
/// header's value fills every cell of its range). Sizes are bounded; a
/// broken file is an error naming the file and the part.
enum XLSXReader {
    static let maximumPart = 32 << 20

    static func firstSheet(_ bytes: [UInt8], file: String) throws(DeclaredListError) -> Table {
        let archive = try ZipArchive(bytes, file: file)
        let workbook = try XML.parse(try archive.text("xl/workbook.xml"), file: file, part: "xl/workbook.xml")
        guard let sheet = workbook.first(named: "sheet"), let relation = sheet.attributes["r:id"] ?? sheet.attributes.first(where: { $0.key.hasSuffix(":id") })?.value else {
            throw DeclaredListError(file: file, message: "the workbook lists no sheet")
        }
        var sheetPath = "xl/worksheets/sheet1.xml"
        if let relations = try? XML.parse(try archive.text("xl/_rels/workbook.xml.rels"), file: file, part: "workbook.xml.rels"),
           let target = relations.all(named: "Relationship").first(where: { $0.attributes["Id"] == relation })?.attributes["Target"] {
            sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        var shared: [String] = []
        if archive.has("xl/sharedStrings.xml") {
            let strings = try XML.parse(try archive.text("xl/sharedStrings.xml"), file: file, part: "xl/sharedStrings.xml")
            // A shared string is the text of every <t> in its <si> (rich text has several runs).
            shared = strings.all(named: "si").map { $0.all(named: "t").map(\.text).joined() }
        }
        let document = try XML.parse(try archive.text(sheetPath), file: file, part: sheetPath)
        var cells: [[String]] = []
        for row in document.all(named: "row") {
            let rowNumber = Int(row.attributes["r"] ?? "") ?? cells.count + 1
            guard rowNumber >= 1, rowNumber <= 100_000 else { continue }
            while cells.count < rowNumber { cells.append([]) }
            for cell in row.all(named: "c") {
                guard let reference = cell.attributes["r"], let (column, _) = cellPosition(reference), column < 1_000 else { continue }
                let value: String
                switch cell.attributes["t"] {
                case "s":
                    guard let index = Int(cell.first(named: "v")?.text ?? ""), index >= 0, index < shared.count else {
                        throw DeclaredListError(file: file, row: rowNumber, column: column + 1, message: "a cell names a shared string that does not exist")
                    }
                    value = shared[index]
                case "inlineStr":
                    value = cell.all(named: "t").map(\.text).joined()
                default:
                    value = cell.first(named: "v")?.text ?? ""
                }
                while cells[rowNumber - 1].count <= column { cells[rowNumber - 1].append("") }
                cells[rowNumber - 1][column] = value
            }
        }
        for merge in document.all(named: "mergeCell") {
            let parts = (merge.attributes["ref"] ?? "").split(separator: ":")
            guard parts.count == 2, let (fromColumn, fromRow) = cellPosition(String(parts[0])),
                  let (toColumn, toRow) = cellPosition(String(parts[1])), fromRow <= toRow, fromColumn <= toColumn,
                  toRow <= cells.count, toColumn - fromColumn < 1_000 else { continue }
            // A range over several rows (a company merged down its SDK rows) gives its value
            // to every row; a range within one row (a title, a note) stays one cell.
            guard toRow > fromRow else { continue }
            let value = fromColumn < cells[fromRow - 1].count ? cells[fromRow - 1][fromColumn] : ""
            for row in fromRow...toRow {
                for column in fromColumn...toColumn {
                    while cells[row - 1].count <= column { cells[row - 1].append("") }
                    if cells[row - 1][column].isEmpty { cells[row - 1][column] = value }
                }
            }
        }
        return Table(cells: cells)
    }

    /// `B12` → (column 1, row 12): 0-based column, 1-based row.
    static func cellPosition(_ reference: String) -> (Int, Int)? {
        var column = 0
        var digits = ""
        for character in reference.uppercased() {
            if let ascii = character.asciiValue, ascii >= 65, ascii <= 90, digits.isEmpty {
                column = column * 26 + Int(ascii - 64)
                guard column <= 16_384 else { return nil }
            } else if character.isNumber {
                digits.append(character)
            } else {
                return nil
            }
        }
        guard column > 0, let row = Int(digits), row > 0 else { return nil }
        return (column - 1, row)
    }
}

/// The members of a ZIP archive (APPNOTE 6.3: end of central directory,
/// central directory entries, local headers), stored or deflated.
struct ZipArchive {
    private let bytes: [UInt8]
    private let file: String
    private var members: [String: (offset: Int, method: UInt16, compressed: Int, size: Int)] = [:]

    init(_ bytes: [UInt8], file: String) throws(DeclaredListError) {
        self.bytes = bytes
        self.file = file
        // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
        var end = -1
        var position = bytes.count - 22
        while position >= max(0, bytes.count - 65_557) {
            if u32(position) == 0x0605_4B50 { end = position; break }
            position -= 1
        }
        guard end >= 0 else { throw DeclaredListError(file: file, message: "not an .xlsx workbook (no ZIP directory)") }
        let count = Int(u16(end + 10))
        var entry = Int(u32(end + 16))
        for _ in 0..<count {
            guard entry + 46 <= bytes.count, u32(entry) == 0x0201_4B50 else {
                throw DeclaredListError(file: file, message: "the ZIP directory is damaged")
            }
            let method = u16(entry + 10)
            let compressed = Int(u32(entry + 20))
            let size = Int(u32(entry + 24))
            let nameLength = Int(u16(entry + 28))
            let extra = Int(u16(entry + 30))
            let comment = Int(u16(entry + 32))
            let local = Int(u32(entry + 42))
            guard entry + 46 + nameLength <= bytes.count else { throw DeclaredListError(file: file, message: "the ZIP directory is damaged") }
            let name = String(decoding: bytes[(entry + 46)..<(entry + 46 + nameLength)], as: UTF8.self)
            members[name] = (local, method, compressed, size)
            entry += 46 + nameLength + extra + comment
        }
    }

    func has(_ name: String) -> Bool { members[name] != nil }

    func text(_ name: String) throws(DeclaredListError) -> String {
        guard let member = members[name] else { throw DeclaredListError(file: file, message: "the workbook has no \(name)") }
        guard member.size <= XLSXReader.maximumPart, member.offset + 30 <= bytes.count, u32(member.offset) == 0x0403_4B50 else {
            throw DeclaredListError(file: file, message: "\(name) is damaged or too large")
        }
        let start = member.offset + 30 + Int(u16(member.offset + 26)) + Int(u16(member.offset + 28))
        guard start + member.compressed <= bytes.count else { throw DeclaredListError(file: file, message: "\(name) is cut short") }
        let data = Array(bytes[start..<(start + member.compressed)])
        switch member.method {
        case 0:
            return String(decoding: data, as: UTF8.self)
        case 8:
            let inflated = Decompression.inflate(data, windowBits: -15, limit: XLSXReader.maximumPart)
            guard !inflated.failed else { throw DeclaredListError(file: file, message: "\(name) does not inflate") }
            return String(decoding: inflated.output, as: UTF8.self)
        default:
            throw DeclaredListError(file: file, message: "\(name) uses ZIP method \(member.method), which is not deflate")
        }
    }

    private func u16(_ at: Int) -> UInt16 {
        guard at >= 0, at + 2 <= bytes.count else { return 0 }
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private func u32(_ at: Int) -> UInt32 {
        guard at >= 0, at + 4 <= bytes.count else { return 0 }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}

/// Just enough XML for spreadsheet parts: elements, attributes, text, the
/// five predefined entities and character references, CDATA; comments,
/// processing instructions and the prolog skipped. Depth and size are bounded.
struct XML {
    final class Element {
        let name: String
        var attributes: [String: String]
        var children: [Element] = []
        var text = ""

        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }

        /// Every descendant with this local name (prefixes ignored), in document order.
        func all(named local: String) -> [Element] {
            var found: [Element] = []
            var stack: [Element] = children.reversed()
            while let element = stack.popLast() {
                if element.localName == local { found.append(element) }
                stack.append(contentsOf: element.children.reversed())
            }
            return found
        }

        func first(named local: String) -> Element? { all(named: local).first }

        var localName: String { name.split(separator: ":").last.map(String.init) ?? name }
    }

    static let maximumDepth = 64

    static func parse(_ text: String, file: String, part: String) throws(DeclaredListError) -> Element {
        let root = Element(name: "#document", attributes: [:])
        var stack = [root]
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func fail(_ message: String) -> DeclaredListError { DeclaredListError(file: file, message: "\(part): \(message)") }
        while index < scalars.count {
            if scalars[index] != "<" {
                var run = ""
                while index < scalars.count, scalars[index] != "<" {
                    run.unicodeScalars.append(scalars[index])
                    index += 1
                }
                stack.last!.text += decodeEntities(run)
                continue
            }
            if matches(scalars, index, "<!--") {
                guard let end = find(scalars, from: index + 4, "-->") else { throw fail("unterminated comment") }
                index = end + 3
                continue
            }
            if matches(scalars, index, "<![CDATA[") {
                guard let end = find(scalars, from: index + 9, "]]>") else { throw fail("unterminated CDATA") }
                stack.last!.text += String(String.UnicodeScalarView(scalars[(index + 9)..<end]))
                index = end + 3
                continue
            }
            if matches(scalars, index, "<?") || matches(scalars, index, "<!") {
                guard let end = find(scalars, from: index + 2, ">") else { throw fail("unterminated declaration") }
                index = end + 1
                continue
            }
            guard let close = find(scalars, from: index + 1, ">") else { throw fail("unterminated tag") }
            var tag = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
            index = close + 1
            if tag.hasPrefix("/") {
                let name = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces)
                guard stack.count > 1, stack.last!.name == name else { throw fail("</\(name)> closes nothing open") }
                stack.removeLast()
                continue
            }
            let selfClosing = tag.hasSuffix("/")
            if selfClosing { tag.removeLast() }
            let (name, attributes) = try parseTag(tag, fail: fail)
            let element = Element(name: name, attributes: attributes)
            stack.last!.children.append(element)
            if !selfClosing {
                guard stack.count < maximumDepth else { throw fail("nested deeper than \(maximumDepth)") }
                stack.append(element)
            }
        }
        guard stack.count == 1 else { throw fail("<\(stack.last!.name)> is never closed") }
        return root
    }

    private static func parseTag(_ tag: String, fail: (String) -> DeclaredListError) throws(DeclaredListError) -> (String, [String: String]) {
        let characters = Array(tag)
        var index = 0
        var name = ""
        while index < characters.count, !characters[index].isWhitespace { name.append(characters[index]); index += 1 }
        guard !name.isEmpty else { throw fail("a tag without a name") }
        var attributes: [String: String] = [:]
        while index < characters.count {
            while index < characters.count, characters[index].isWhitespace { index += 1 }
            guard index < characters.count else { break }
            var key = ""
            while index < characters.count, characters[index] != "=", !characters[index].isWhitespace { key.append(characters[index]); index += 1 }
            while index < characters.count, characters[index].isWhitespace { index += 1 }
            guard index < characters.count, characters[index] == "=" else { throw fail("attribute \(key) of <\(name)> has no value") }
            index += 1
            while index < characters.count, characters[index].isWhitespace { index += 1 }
            guard index < characters.count, characters[index] == "\"" || characters[index] == "'" else {
                throw fail("attribute \(key) of <\(name)> is not quoted")
            }
            let quote = characters[index]
            index += 1
            var value = ""
            while index < characters.count, characters[index] != quote { value.append(characters[index]); index += 1 }
            guard index < characters.count else { throw fail("attribute \(key) of <\(name)> is not closed") }
            index += 1
            attributes[key] = decodeEntities(value)
        }
        return (name, attributes)
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semicolon = rest[amp...].firstIndex(of: ";"), rest.distance(from: amp, to: semicolon) <= 10 else {
                out += rest[amp...]
                return out
            }
            let entity = rest[rest.index(after: amp)..<semicolon]
            switch entity {
            case "lt": out += "<"
            case "gt": out += ">"
            case "amp": out += "&"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                var value: UInt32?
                if entity.hasPrefix("#x") { value = UInt32(entity.dropFirst(2), radix: 16) }
                else if entity.hasPrefix("#") { value = UInt32(entity.dropFirst()) }
                if let value, let scalar = Unicode.Scalar(value) { out.unicodeScalars.append(scalar) } else { out += "&\(entity);" }
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return out + rest
    }

    private static func matches(_ scalars: [Unicode.Scalar], _ at: Int, _ literal: String) -> Bool {
        let literal = Array(literal.unicodeScalars)
        guard at + literal.count <= scalars.count else { return false }
        for (offset, scalar) in literal.enumerated() where scalars[at + offset] != scalar { return false }
        return true
    }

    private static func find(_ scalars: [Unicode.Scalar], from start: Int, _ literal: String) -> Int? {
        var index = start
        while index < scalars.count {
            if matches(scalars, index, literal) { return index }
            index += 1
        }
        return nil
    }
}
