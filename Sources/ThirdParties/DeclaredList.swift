import Crypto
import Facts
import Foundation
import WireBytes

/// A problem in a declared-list file: where (row and column of a table, or
/// line and column of YAML/JSON) and what.
public struct DeclaredListError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var row: Int?
    public var column: Int?
    public var message: String
    /// `rows` for tables, `line` for YAML and JSON.
    public var unit: String

    public init(file: String, row: Int? = nil, column: Int? = nil, message: String, unit: String = "row") {
        self.file = file
        self.row = row
        self.column = column
        self.message = message
        self.unit = unit
    }

    public var description: String {
        var place = file
        if let row { place += ", \(unit) \(row)" }
        if let column { place += ", column \(column)" }
        return "\(place): \(message)"
    }
}

/// One row of the app's published third-party sharing list.
public struct DeclaredEntry: Sendable {
    /// Where the row was (table row, or YAML/JSON entry number).
    public var row: Int
    public var name: String
    public var company: String?
    public var purpose: String?
    public var scenario: String?
    public var piText: String?
    public var method: String?
    public var policyURL: String?
    public var domains: [String]
    public var packages: [String]
    /// The catalogue SDK the row names, and what matched it.
    public var sdk: SDKEntry?
    public var matchedBy: String?
    /// PI types the row declares (read through the vocabulary).
    public var piTypes: Set<PIType>
    /// The row says the data reaches the partner server to server (后台接口传输): never in a capture.
    public var serverSide: Bool
}

/// The app's declared sharing list, read and matched against the catalogue.
public struct DeclaredList: Sendable {
    public var path: String
    public var sha256: String
    public var entries: [DeclaredEntry]
    /// The app operator's own domains, as the list names them (a note, an operator row, a YAML key).
    public var firstPartyDomains: [String]
    /// Rows that match no SDK, unknown PI words, ignored rows: said in the report, never dropped silently.
    public var warnings: [String]

    /// Rows that name `sdk`.
    public func entries(for sdk: SDKEntry) -> [DeclaredEntry] {
        entries.filter { $0.sdk?.id == sdk.id }
    }

    /// A row that names `host` in its domains column.
    public func entry(forHost host: String) -> DeclaredEntry? {
        let host = host.lowercased()
        return entries.first { entry in entry.domains.contains { host == $0 || host.hasSuffix("." + $0) } }
    }
}

/// Reads a declared list (`.xlsx`, `.csv`, `.yaml`/`.yml`, `.json`) into rows of
/// named fields, then matches each row to the catalogue and its PI words to types.
public enum DeclaredListReader {
    /// A table or structured file as rows of canonical fields (`sdk_name`, `pi_types`, …).
    struct RawRow {
        var row: Int
        var fields: [String: String]
    }

    struct RawList {
        var rows: [RawRow]
        var firstPartyDomains: [String] = []
        var warnings: [String] = []
    }

    public static func read(path: String, catalog: SDKCatalog, vocabulary: Vocabulary) throws(DeclaredListError) -> DeclaredList {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DeclaredListError(file: path, message: "cannot read the file")
        }
        let bytes = [UInt8](data)
        let lower = path.lowercased()
        let raw: RawList
        if lower.hasSuffix(".xlsx") {
            raw = try TableRows.rows(fromTable: XLSXReader.firstSheet(bytes, file: path), file: path, vocabulary: vocabulary)
        } else if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".txt") {
            let text = try TextDecoding.decode(bytes, file: path)
            raw = try TableRows.rows(fromTable: CSVReader.parse(text, file: path, separator: lower.hasSuffix(".tsv") ? "\t" : nil),
                                     file: path, vocabulary: vocabulary)
        } else if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            raw = try StructuredList.yaml(try TextDecoding.decode(bytes, file: path), file: path, vocabulary: vocabulary)
        } else if lower.hasSuffix(".json") {
            raw = try StructuredList.json(data, file: path, vocabulary: vocabulary)
        } else {
            throw DeclaredListError(file: path, message: "unknown format: name the file .xlsx, .csv, .yaml or .json")
        }
        var list = DeclaredList(path: path, sha256: Hex.string(SHA256.hash(data: data)), entries: [],
                                firstPartyDomains: raw.firstPartyDomains.reduce(into: []) { if !$0.contains($1) { $0.append($1) } },
                                warnings: raw.warnings)
        for row in raw.rows {
            guard let name = row.fields["sdk_name"] ?? row.fields["company"], !name.isEmpty else {
                list.warnings.append("row \(row.row): no SDK name or company; ignored")
                continue
            }
            let reading = vocabulary.read(row.fields["pi_types"] ?? "")
            for word in reading.unknown { list.warnings.append("row \(row.row): unknown PI word “\(word)”; not mapped to any type") }
            let domains = (row.fields["domains"] ?? "").split(whereSeparator: { " ,，、;；\n".contains($0) }).map { $0.lowercased() }
            let packages = (row.fields["package"] ?? "").split(whereSeparator: { " ,，、;；\n".contains($0) }).map(String.init)
                + Self.packageNames(in: name)
            var entry = DeclaredEntry(
                row: row.row, name: name, company: row.fields["company"], purpose: row.fields["purpose"], scenario: row.fields["scenario"],
                piText: row.fields["pi_types"], method: row.fields["method"], policyURL: row.fields["policy_url"], domains: domains,
                packages: packages, sdk: nil, matchedBy: nil, piTypes: reading.types,
                serverSide: vocabulary.serverSideMethods.contains { (row.fields["method"] ?? "").contains($0) })
            if let (sdk, how) = match(entry, catalog: catalog, vocabulary: vocabulary) {
                entry.sdk = sdk
                entry.matchedBy = how
            } else {
                list.warnings.append("row \(row.row): “\(name)” matches no SDK of the catalogue")
            }
            list.entries.append(entry)
        }
        return list
    }

    /// `穿山甲广告SDK(com.bytedance)`, `com.amap.api(高德)`: the package names a row carries in its name.
    static func packageNames(in name: String) -> [String] {
        name.split(whereSeparator: { "()（）[]【】 ,，、/".contains($0) }).map(String.init).filter { token in
            let parts = token.split(separator: ".")
            return parts.count >= 2 && token.first?.isLetter == true && token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_") }
        }
    }

    /// The catalogue SDK a row names: by its name or an alias exactly, else by
    /// the longest package prefix it carries (`com.umeng.umsdk` under
    /// `com.umeng`), else by the longest alias its name contains, its domains,
    /// and last the vendor's legal name when only one SDK of that vendor fits.
    static func match(_ entry: DeclaredEntry, catalog: SDKCatalog, vocabulary: Vocabulary) -> (SDKEntry, String)? {
        let name = simplified(entry.name.split(whereSeparator: { "(（".contains($0) }).first.map(String.init) ?? entry.name)
        var contained: (SDKEntry, String, Int)?
        for sdk in catalog.entries {
            for candidate in [sdk.name, sdk.nameZH].compactMap({ $0 }) + sdk.aliases where !candidate.contains(".") {
                let alias = simplified(candidate)
                guard alias.count >= 2 else { continue }
                if name == alias { return (sdk, "name “\(candidate)”") }
                if name.contains(alias), contained == nil || alias.count > contained!.2 { contained = (sdk, "name “\(candidate)”", alias.count) }
            }
        }
        var package: (SDKEntry, String, Int)?
        for candidate in entry.packages {
            for sdk in catalog.entries {
                for alias in sdk.aliases where alias.contains(".") && (candidate == alias || candidate.hasPrefix(alias + ".")) {
                    if package == nil || alias.count > package!.2 { package = (sdk, "package \(candidate)", alias.count) }
                }
            }
        }
        // A vendor-wide package prefix (com.umeng) says less than a name naming one of that vendor's SDKs.
        if let package, let contained, contained.0.vendor == package.0.vendor { return (contained.0, contained.1) }
        if let package { return (package.0, package.1) }
        if let contained { return (contained.0, contained.1) }
        for domain in entry.domains {
            if let found = catalog.lookup(host: domain) { return (found.sdk, "domain \(domain)") }
        }
        if let company = entry.company.map(Vocabulary.normalise) {
            let vendors = vocabulary.vendors.filter { $0.value.contains { Vocabulary.normalise($0) == company } }.map(\.key)
            let candidates = catalog.entries.filter { sdk in vendors.contains(sdk.vendor) || sdk.vendorZH.map(Vocabulary.normalise) == company }
            if candidates.count == 1 { return (candidates[0], "vendor “\(entry.company!)”") }
        }
        return nil
    }

    /// Lower-cased, without spaces, punctuation or the words every row carries (SDK, 插件, 平台).
    static func simplified(_ text: String) -> String {
        var out = Vocabulary.normalise(text)
        for word in ["sdk", "插件", "开发包", "服务", "平台"] { out = out.replacingOccurrences(of: word, with: "") }
        return String(out.unicodeScalars.filter { !CharacterSet.punctuationCharacters.contains($0) && !CharacterSet.symbols.contains($0) }
            .map(Character.init))
    }
}
