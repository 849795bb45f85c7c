import Foundation

/// A sheet or CSV as cells: `cells[row][column]`, 1-based positions kept for messages.
struct Table {
    var cells: [[String]]
}

/// Turns a table into named rows: the header row is the first of the first
/// ten that holds at least two known headings (title rows above it, and merged
/// header cells, are common); later rows become entries. Rows and notes that
/// speak of the app operator itself (本App运营者, 自有域名) give first-party
/// domains instead of entries.
enum TableRows {
    static let firstPartyMarkers = ["本app运营", "本应用运营", "运营者自有", "自有服务", "自有域名", "first-party", "first party", "ourowndomains"]

    static func rows(fromTable table: Table, file: String, vocabulary: Vocabulary) throws(DeclaredListError) -> DeclaredListReader.RawList {
        var headerIndex: Int?
        var fields: [Int: String] = [:]
        for (index, row) in table.cells.prefix(10).enumerated() {
            var found: [Int: String] = [:]
            for (column, cell) in row.enumerated() {
                if let field = vocabulary.field(forHeading: cell), !found.values.contains(field) { found[column] = field }
            }
            if found.count >= 2 {
                headerIndex = index
                fields = found
                break
            }
        }
        guard let headerIndex else {
            throw DeclaredListError(file: file, row: 1, message: "no header row: none of the first ten rows names two known columns (e.g. SDK名称 and 收集个人信息类型)")
        }
        guard fields.values.contains("sdk_name") || fields.values.contains("company") else {
            throw DeclaredListError(file: file, row: headerIndex + 1, message: "the header names no SDK or company column")
        }
        var list = DeclaredListReader.RawList(rows: [])
        let headings = table.cells[headerIndex]
        for (column, cell) in headings.enumerated() where fields[column] == nil && !cell.trimmingCharacters(in: .whitespaces).isEmpty {
            list.warnings.append("column \(column + 1) “\(cell)” is not a known heading; ignored")
        }
        for index in (headerIndex + 1)..<max(headerIndex + 1, table.cells.count) {
            let row = table.cells[index]
            let text = row.joined(separator: " ")
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { continue }
            if isFirstParty(text) {
                list.firstPartyDomains += domains(in: text)
                continue
            }
            var named: [String: String] = [:]
            for (column, field) in fields where column < row.count {
                let value = row[column].trimmingCharacters(in: .whitespacesAndNewlines)
                if !value.isEmpty { named[field] = value }
            }
            // A note row (one long cell, no SDK name column filled) is not an entry.
            if named["sdk_name"] == nil && named["company"] == nil {
                list.warnings.append("row \(index + 1): no SDK name; ignored (“\(String(text.prefix(40)))”)")
                continue
            }
            list.rows.append(DeclaredListReader.RawRow(row: index + 1, fields: named))
        }
        return list
    }

    static func isFirstParty(_ text: String) -> Bool {
        let normalised = Vocabulary.normalise(text)
        return firstPartyMarkers.contains { normalised.contains($0.replacingOccurrences(of: " ", with: "")) }
    }

    /// Domain names in free text (`自有域名 example-shop.cn、exshop-cdn.cn`).
    static func domains(in text: String) -> [String] {
        var out: [String] = []
        var current = ""
        func flush() {
            let candidate = current.trimmingCharacters(in: CharacterSet(charactersIn: ".-")).lowercased()
            let labels = candidate.split(separator: ".")
            if labels.count >= 2, labels.last.map({ $0.count >= 2 && $0.allSatisfy(\.isLetter) }) == true, !candidate.hasPrefix("www.") || labels.count >= 3 {
                out.append(candidate.hasPrefix("www.") ? String(candidate.dropFirst(4)) : candidate)
            }
            current = ""
        }
        for character in text {
            if character.isASCII && (character.isLetter || character.isNumber || character == "." || character == "-") {
                current.append(character)
            } else {
                flush()
            }
        }
        flush()
        return out.filter { !$0.hasPrefix("http") }
    }
}
