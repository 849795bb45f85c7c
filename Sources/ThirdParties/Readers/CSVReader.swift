/// RFC 4180 CSV as spreadsheet programs export it: quoted fields with `""`
/// for a quote, CR LF or LF rows, a comma (or, when the header has more of
/// them, a semicolon or tab) between fields. An unterminated quote is an
/// error naming the row and column where the field began.
enum CSVReader {
    static func parse(_ text: String, file: String, separator given: Character? = nil) throws(DeclaredListError) -> Table {
        let separator = given ?? guessSeparator(text)
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var fieldStartRow = 1
        var fieldStartColumn = 1
        var line = 1
        var atFieldStart = true
        var iterator = text.makeIterator()
        var pending: Character?
        func next() -> Character? {
            if let character = pending {
                pending = nil
                return character
            }
            return iterator.next()
        }
        while let character = next() {
            if quoted {
                if character == "\"" {
                    if let following = next() {
                        if following == "\"" { field.append("\""); continue }
                        quoted = false
                        pending = following
                    } else {
                        quoted = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            if atFieldStart && character == "\"" {
                quoted = true
                atFieldStart = false
                fieldStartRow = line
                fieldStartColumn = row.count + 1
                continue
            }
            if character == separator {
                row.append(field)
                field = ""
                atFieldStart = true
                continue
            }
            if character == "\n" || character == "\r\n" || character == "\r" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                atFieldStart = true
                line += 1
                continue
            }
            atFieldStart = false
            field.append(character)
        }
        if quoted {
            throw DeclaredListError(file: file, row: fieldStartRow, column: fieldStartColumn,
                                    message: "unterminated quote: the field opened here never closes")
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return Table(cells: rows)
    }

    static func guessSeparator(_ text: String) -> Character {
        let header = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let counts: [(Character, Int)] = [",", ";", "\t"].map { separator in (separator, header.filter { $0 == separator }.count) }
        return counts.max { $0.1 < $1.1 }.map { $0.1 > 0 ? $0.0 : "," } ?? ","
    }
}
