import ArgumentParser
import Foundation
import PacketDecoding
import ThirdParties

struct SDK: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sdk",
        abstract: "The SDK catalogue third-party attribution reads: list it, or look up a host or address.",
        subcommands: [SDKList.self, SDKLookup.self])
}

struct SDKList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every SDK of the catalogue.")

    enum Format: String, ExpressibleByArgument { case text, markdown }

    @Option(name: .long, help: "text, or markdown (the source of docs/sdk-catalog.md).")
    var format: Format = .text

    @Option(name: .customLong("sdk-catalog"), help: ArgumentHelp("A catalogue YAML merged over the built-in one.", valueName: "file"))
    var sdkCatalog: String?

    func run() throws {
        let catalog = try ThirdPartyOptions.catalog(merging: sdkCatalog)
        switch format {
        case .markdown:
            print(CatalogDocumentation.markdown(catalog), terminator: "")
        case .text:
            for entry in catalog.entries.sorted(by: { $0.id < $1.id }) {
                let id = entry.id.padding(toLength: 28, withPad: " ", startingAt: 0)
                let category = entry.category.padding(toLength: 20, withPad: " ", startingAt: 0)
                print("\(id)\(category)\(entry.name) — \(entry.vendor); \(entry.domains.count) patterns, \(entry.networks.count) ranges")
            }
        }
    }
}

struct SDKLookup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup", abstract: "Say which SDK a server name or address is attributed to, by which pattern.")

    @Argument(help: "Host names or IP addresses.")
    var targets: [String]

    @Option(name: .customLong("sdk-catalog"), help: ArgumentHelp("A catalogue YAML merged over the built-in one.", valueName: "file"))
    var sdkCatalog: String?

    func run() throws {
        let catalog = try ThirdPartyOptions.catalog(merging: sdkCatalog)
        var missed = false
        for target in targets {
            let match = IPAddress(parsing: target).flatMap(catalog.lookup(address:)) ?? catalog.lookup(host: target)
            guard let match else {
                print("\(target): no SDK (a flow to it would be unattributed unless --first-party names it)")
                missed = true
                continue
            }
            print("\(target): \(match.sdk.id) — \(match.sdk.name) (\(match.sdk.vendor); \(match.sdk.category)), \(match.kind) \(match.pattern), \(match.confidence.rawValue) confidence")
        }
        if missed { throw ExitCode(1) }
    }
}

struct AppTypes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app-types",
        abstract: "List the 39 app types of the regulation on necessary PI (--app-type) and what each type's basic function needs.")

    func run() throws {
        let types: [AppType]
        do { types = try NecessaryPI.builtIn() } catch { throw ThirdPartyOptions.fail("\(error)") }
        for type in types {
            print("\(type.id.padding(toLength: 28, withPad: " ", startingAt: 0))\(type.nameZH) (\(type.nameEN)): \(type.necessaryItems.isEmpty ? "无须个人信息" : type.necessaryItems.joined(separator: "、"))")
        }
    }
}
