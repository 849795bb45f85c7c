import Facts
import Foundation
import Yams

/// The 39 app types of the 2021 rule on necessary PI (国信办秘字〔2021〕14号,
/// `Policies/necessary-pi.yaml`, with its sources): each type's basic function
/// and the PI that function needs. No type needs device identifiers, the
/// installed-app list or the contact book.
public struct AppType: Sendable {
    public var id: String
    public var nameZH: String
    public var nameEN: String
    public var basicFunction: String
    /// The regulation's items as it words them.
    public var necessaryItems: [String]
    /// The detectors' types those items name (items no detector sees are left out).
    public var necessaryTypes: Set<PIType>
}

public enum NecessaryPI {
    public static func builtIn() throws(CatalogError) -> [AppType] {
        guard let url = Bundle.module.url(forResource: "necessary-pi", withExtension: "yaml", subdirectory: "Data"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw CatalogError(file: "necessary-pi.yaml", line: nil, message: "the built-in app types are missing from the bundle")
        }
        return try parse(text, file: "Policies/necessary-pi.yaml")
    }

    /// The regulation's vocabulary where it differs from the detectors'.
    static let aliases: [String: PIType] = ["name": .personName]

    public static func parse(_ text: String, file: String) throws(CatalogError) -> [AppType] {
        let root: Node?
        do { root = try Yams.compose(yaml: text, .basic) } catch {
            throw CatalogError(file: file, line: nil, message: "not YAML: \(error)")
        }
        guard let types = root?.mapping?["types"]?.sequence else { throw CatalogError(file: file, line: nil, message: "no `types` list") }
        return types.compactMap { node -> AppType? in
            guard let mapping = node.mapping, let id = mapping["id"]?.string else { return nil }
            var items: [String] = []
            var detected = Set<PIType>()
            for item in mapping["necessary_pi_types"]?.sequence ?? [] {
                if let zh = item.mapping?["zh"]?.string { items.append(zh) }
                for type in item.mapping?["types"]?.sequence ?? [] {
                    guard let name = type.string else { continue }
                    if let known = PIType(rawValue: name) ?? aliases[name] { detected.insert(known) }
                }
            }
            return AppType(id: id, nameZH: mapping["name_zh"]?.string ?? "", nameEN: mapping["name_en"]?.string ?? "",
                           basicFunction: mapping["basic_function_zh"]?.string ?? "", necessaryItems: items, necessaryTypes: detected)
        }
    }
}
