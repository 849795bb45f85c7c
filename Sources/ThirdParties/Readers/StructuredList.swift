import Foundation
import Yams

/// A declared list as YAML or JSON (docs/declared-list.md): a mapping with
/// `first_party_domains` (or `app: {domains}`) and a list of entries under
/// `sdks` (or `entries`, or the document itself is the list). An entry's keys
/// are the list's own headings (`SDK名称`, `收集个人信息类型`, …) or the
/// canonical names (`sdk_name`, `pi_types`, …); a PI value may be a string
/// as the list prints it or a list of words.
enum StructuredList {
    static func yaml(_ text: String, file: String, vocabulary: Vocabulary) throws(DeclaredListError) -> DeclaredListReader.RawList {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            var line: Int?
            var column: Int?
            if let error = error as? YamlError {
                switch error {
                case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
                    line = mark.line
                    column = mark.column
                default: break
                }
            }
            throw DeclaredListError(file: file, row: line, column: column, message: "not YAML: \(Self.reason(error))", unit: "line")
        }
        guard let root else { throw DeclaredListError(file: file, message: "the file is empty") }
        return try list(from: value(of: root), file: file, vocabulary: vocabulary)
    }

    static func json(_ data: Data, file: String, vocabulary: Vocabulary) throws(DeclaredListError) -> DeclaredListReader.RawList {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            // Foundation names a character index; a tester wants a line and column.
            let nsError = error as NSError
            let index = (nsError.userInfo["NSJSONSerializationErrorIndex"] as? Int) ?? (nsError.userInfo["NSJSONSerializationErrorIndex"] as? NSNumber)?.intValue
            var line: Int?
            var column: Int?
            if let index {
                let prefix = data.prefix(index)
                line = prefix.filter { $0 == 0x0A }.count + 1
                column = index - (prefix.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            }
            throw DeclaredListError(file: file, row: line, column: column, message: "not JSON: \(nsError.localizedDescription)", unit: "line")
        }
        return try list(from: object, file: file, vocabulary: vocabulary)
    }

    /// The message of a Yams error without its location dump.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? YamlError else { return "\(error)" }
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        default: return "\(error)"
        }
    }

    /// A YAML node as the plain values JSONSerialization gives (dictionaries, arrays, strings).
    static func value(of node: Node) -> Any {
        switch node {
        case .scalar(let scalar): return scalar.string
        case .sequence(let sequence): return sequence.map { value(of: $0) }
        case .mapping(let mapping):
            var out: [String: Any] = [:]
            for (key, item) in mapping { if let key = key.string { out[key] = value(of: item) } }
            return out
        case .alias: return ""
        }
    }

    static func list(from object: Any, file: String, vocabulary: Vocabulary) throws(DeclaredListError) -> DeclaredListReader.RawList {
        var list = DeclaredListReader.RawList(rows: [])
        var entries: [Any]
        if let array = object as? [Any] {
            entries = array
        } else if let mapping = object as? [String: Any] {
            entries = (mapping["sdks"] ?? mapping["entries"] ?? mapping["third_parties"]) as? [Any] ?? []
            let app = mapping["app"] as? [String: Any]
            let domains = mapping["first_party_domains"] ?? app?["first_party_domains"] ?? app?["domains"]
            if let domains = domains as? [Any] { list.firstPartyDomains = domains.compactMap { ($0 as? String)?.lowercased() } }
            else if let domains = domains as? String { list.firstPartyDomains = TableRows.domains(in: domains) }
            if entries.isEmpty {
                throw DeclaredListError(file: file, message: "no entries: expected a list under `sdks` (or `entries`)", unit: "line")
            }
        } else {
            throw DeclaredListError(file: file, message: "expected a mapping with `sdks`, or a list of entries", unit: "line")
        }
        for (index, item) in entries.enumerated() {
            guard let mapping = item as? [String: Any] else {
                throw DeclaredListError(file: file, row: index + 1, message: "entry \(index + 1) is not a mapping", unit: "entry")
            }
            var fields: [String: String] = [:]
            for (key, value) in mapping {
                let field = vocabulary.field(forHeading: key) ?? (Self.canonical.contains(key) ? key : nil)
                guard let field else {
                    list.warnings.append("entry \(index + 1): unknown key “\(key)”; ignored")
                    continue
                }
                if let text = value as? String { fields[field] = text }
                else if let words = value as? [Any] { fields[field] = words.compactMap { $0 as? String }.joined(separator: "、") }
                else if let number = value as? NSNumber { fields[field] = number.stringValue }
            }
            if TableRows.isFirstParty(fields.values.joined(separator: " ")) && fields["sdk_name"].map(TableRows.isFirstParty) != false {
                list.firstPartyDomains += TableRows.domains(in: fields.values.joined(separator: " "))
                continue
            }
            list.rows.append(DeclaredListReader.RawRow(row: index + 1, fields: fields))
        }
        return list
    }

    static let canonical: Set<String> = ["sdk_name", "company", "purpose", "scenario", "pi_types", "method", "policy_url", "website", "domains", "package"]
}
