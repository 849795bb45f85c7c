import ArgumentParser
import Foundation
import Rules
import ThirdParties
import WirecheckKit

/// What the tester knows about the app: its sharing list, its own domains,
/// the consent moment and its type (docs/declared-list.md).
struct ThirdPartyOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The app's declared third-party sharing list (第三方信息共享清单): .xlsx, .csv (UTF-8, UTF-16 or GB18030), .yaml or .json; see docs/declared-list.md.", valueName: "file"))
    var declared: String?

    @Option(name: .customLong("first-party"), help: ArgumentHelp("The app's own domain suffixes, comma-separated (repeatable): their flows are first-party whatever the SDK catalogue says.", valueName: "domains"))
    var firstParty: [String] = []

    @Option(name: .customLong("consent-at"), help: ArgumentHelp("When the user consented (or refused): an ISO time (2026-12-07T23:23:30Z) or an offset from the capture's first packet (90, 1m30s, 2.5s).", valueName: "time"))
    var consentAt: String?

    @Option(name: .customLong("consent-marker"), help: ArgumentHelp("The request that records the user's choice: host and path prefix (api.example.cn/v1/privacy/agree), or a path alone.", valueName: "pattern"))
    var consentMarker: String?

    enum Choice: String, ExpressibleByArgument, CaseIterable {
        case agreed, refused
    }

    @Option(name: .long, help: "What the user chose at that moment: agreed (default) or refused (everything after it is judged under ID-METHOD 3.2; with no moment, the whole capture).")
    var consent: Choice = .agreed

    @Option(name: .customLong("app-type"), help: ArgumentHelp("The app's type among the 39 of the regulation on necessary PI (`wirecheck app-types` lists them): PI sent before consent or after refusal that the type's basic function does not need is a finding.", valueName: "type"))
    var appType: String?

    @Option(name: .customLong("sdk-catalog"), help: ArgumentHelp("An SDK catalogue YAML (the schema of Policies/sdk-catalog.yaml) merged over the built-in one: entries with the same id replace it.", valueName: "file"))
    var sdkCatalog: String?

    func validate() throws {
        if consentAt != nil && consentMarker != nil { throw ValidationError("give the consent moment once: --consent-at or --consent-marker") }
        if let consentAt, ConsentSetting.time(consentAt) == nil {
            throw ValidationError("--consent-at '\(consentAt)': not an ISO time (2026-12-07T23:23:30Z) or an offset (90, 1m30s)")
        }
        if let consentMarker, ConsentSetting.marker(consentMarker) == nil {
            throw ValidationError("--consent-marker '\(consentMarker)': give a host and path (api.example.cn/v1/privacy/agree) or a path")
        }
    }

    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("wirecheck: \(message)\n".utf8))
        return ExitCode(2)
    }

    /// The built-in catalogue, with `path`'s entries merged over it.
    static func catalog(merging path: String?) throws -> SDKCatalog {
        // The shared copy, read once a process; empty only if the bundle is broken, and then builtIn() says why.
        var catalog = SDKCatalog.standard
        if catalog.entries.isEmpty {
            do { catalog = try SDKCatalog.builtIn() } catch { throw fail("\(error)") }
        }
        if let path {
            do { catalog.merge(try SDKCatalog.load(path: path)) } catch { throw fail("\(error)") }
        }
        return catalog
    }

    static func appType(named name: String) throws -> AppType {
        let types: [AppType]
        do { types = try NecessaryPI.builtIn() } catch { throw fail("\(error)") }
        let wanted = name.lowercased()
        if let found = types.first(where: { $0.id == wanted || $0.nameZH == name || $0.nameEN.lowercased() == wanted }) { return found }
        throw fail("--app-type '\(name)': not one of the 39 app types; `wirecheck app-types` lists them")
    }

    /// Adds the catalogue, the app's domains, the declared list, consent and app type to `pipeline`.
    func configure(_ pipeline: inout Pipeline) throws {
        let catalog = try Self.catalog(merging: sdkCatalog)
        pipeline.catalog = catalog
        var domains = firstParty.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty }
        if let declared {
            let vocabulary: Vocabulary
            do { vocabulary = try Vocabulary.builtIn() } catch { throw Self.fail("\(error)") }
            do {
                let list = try DeclaredListReader.read(path: declared, catalog: catalog, vocabulary: vocabulary)
                pipeline.thirdParty.declared = list
                domains += list.firstPartyDomains
                for warning in list.warnings { FileHandle.standardError.write(Data("wirecheck: \(declared): warning: \(warning)\n".utf8)) }
            } catch {
                throw Self.fail("\(error)")
            }
        }
        pipeline.firstPartyDomains = Array(Set(domains)).sorted()
        let moment: ConsentSetting.Moment? = consentAt.flatMap(ConsentSetting.time) ?? consentMarker.flatMap(ConsentSetting.marker)
        if moment != nil || consent == .refused {
            pipeline.thirdParty.consent = ConsentSetting(moment: moment ?? .none, refused: consent == .refused)
        }
        if let appType {
            pipeline.thirdParty.appType = try Self.appType(named: appType)
            if pipeline.thirdParty.consent == nil {
                FileHandle.standardError.write(Data("wirecheck: warning: --app-type judges only PI sent before consent or after refusal; give --consent-at, --consent-marker or --consent refused\n".utf8))
            }
        }
    }
}
