import Facts
import Foundation
import PacketDecoding
import Testing
import Yams
@testable import ThirdParties

let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func declared(_ name: String) -> String {
    repositoryRoot.appendingPathComponent("captures/third-party/declared").appendingPathComponent(name).path
}

@Suite struct CatalogTests {
    static let catalog = try! SDKCatalog.builtIn()

    @Test func theBundledFilesAreThePolicyFiles() throws {
        for name in ["sdk-catalog.yaml", "declared-list-vocabulary.yaml", "necessary-pi.yaml"] {
            let committed = try Data(contentsOf: repositoryRoot.appendingPathComponent("Policies/\(name)"))
            let bundled = try Data(contentsOf: repositoryRoot.appendingPathComponent("Sources/ThirdParties/Data/\(name)"))
            #expect(committed == bundled, "Policies/\(name) and Sources/ThirdParties/Data/\(name) differ: copy one over the other")
        }
    }

    @Test func coversTheSDKsOfChineseAndGlobalApps() {
        #expect(Self.catalog.entries.count >= 150)
        let ids = Set(Self.catalog.entries.map(\.id))
        for id in ["umeng-analytics", "jiguang-jpush", "getui-push", "tencent-bugly", "tencent-gdt", "pangle-cn", "amap", "aliyun-httpdns",
                   "tencent-cloud-httpdns", "firebase-analytics", "appsflyer", "adjust", "sentry", "wechat-opensdk", "facebook-sdk"] {
            #expect(ids.contains(id), "\(id) is missing")
        }
        #expect(Set(Self.catalog.entries.map(\.category)).isSubset(of: Set(SDKCatalog.categories)))
    }

    @Test func theMostSpecificPatternWins() throws {
        let umeng = try #require(Self.catalog.lookup(host: "ulogs.umeng.com"))
        #expect(umeng.sdk.id == "umeng-analytics")
        #expect(Self.catalog.lookup(host: "ULOGS.UMENG.COM.")?.sdk.id == "umeng-analytics")
        #expect(Self.catalog.lookup(host: "open.weixin.qq.com")?.sdk.id == "wechat-opensdk")
        // The vendor's own app is not its SDK: broad vendor apexes are not patterns.
        #expect(Self.catalog.lookup(host: "weixin.qq.com") == nil)
        #expect(Self.catalog.lookup(host: "www.qq.com") == nil)
        #expect(Self.catalog.lookup(host: "www.facebook.com") == nil)
        #expect(Self.catalog.lookup(host: "graph.facebook.com")?.sdk.id == "facebook-sdk")
        #expect(Self.catalog.lookup(host: "example-shop.cn") == nil)
    }

    @Test func hardCodedAddressesAreAttributedByTheirRange() throws {
        let alibaba = try #require(Self.catalog.lookup(address: IPAddress(parsing: "203.107.1.1")!))
        #expect(alibaba.sdk.id == "aliyun-httpdns")
        #expect(alibaba.kind == "network")
        #expect(Self.catalog.lookup(address: IPAddress(parsing: "119.29.29.98")!)?.sdk.id == "tencent-cloud-httpdns")
        #expect(Self.catalog.lookup(address: IPAddress(parsing: "8.8.8.8")!) == nil)
    }

    @Test func patternKindsMatchAsDocumented() throws {
        let text = """
        sdks:
          - {id: a, name: A, vendor: V, category: analytics, domains: [{match: exact, value: "api.a.test"}]}
          - {id: b, name: B, vendor: V, category: push, domains: [{match: suffix, value: "b.test"}]}
          - {id: c, name: C, vendor: V, category: push, domains: [{match: wildcard, value: "*.log.c.test"}],
             networks: [{cidr: "2400:3200::/32"}, {cidr: "10.1.2.0/24"}]}
        """
        let catalog = try SDKCatalog.parse(text, file: "t.yaml")
        #expect(catalog.lookup(host: "api.a.test")?.sdk.id == "a")
        #expect(catalog.lookup(host: "x.api.a.test") == nil)
        #expect(catalog.lookup(host: "b.test")?.sdk.id == "b")
        #expect(catalog.lookup(host: "deep.er.b.test")?.kind == "suffix")
        #expect(catalog.lookup(host: "cn-hangzhou.log.c.test")?.kind == "wildcard")
        #expect(catalog.lookup(host: "log.c.test") == nil)
        #expect(catalog.lookup(host: "a.b.log.c.test") == nil)
        #expect(catalog.lookup(address: IPAddress(parsing: "2400:3200::1")!)?.sdk.id == "c")
        #expect(catalog.lookup(address: IPAddress(parsing: "10.1.2.200")!)?.sdk.id == "c")
        #expect(catalog.lookup(address: IPAddress(parsing: "10.1.3.1")!) == nil)
    }

    @Test func aBrokenCatalogueNamesTheFileAndLine() {
        #expect(throws: CatalogError.self) { try SDKCatalog.parse("sdks:\n  - {id: a, name: A, category: nonsense}\n", file: "bad.yaml") }
        do {
            _ = try SDKCatalog.parse("sdks:\n  - id: a\n    name: A\n    domains: [{match: sometimes, value: x}]\n", file: "bad.yaml")
            Issue.record("accepted an unknown match kind")
        } catch {
            #expect(error.description.hasPrefix("bad.yaml:"))
        }
    }
}

@Suite struct DeclaredListTests {
    static let catalog = try! SDKCatalog.builtIn()
    static let vocabulary = try! Vocabulary.builtIn()

    static func read(_ name: String) throws(DeclaredListError) -> DeclaredList {
        try DeclaredListReader.read(path: declared(name), catalog: catalog, vocabulary: vocabulary)
    }

    @Test func anXLSXSavedByLibreOfficeIsReadWithItsTitleRowAndMergedHeader() throws {
        let list = try Self.read("complete.xlsx")
        #expect(list.entries.count == 20)
        #expect(list.entries.allSatisfy { $0.sdk != nil }, "unmatched: \(list.entries.filter { $0.sdk == nil }.map(\.name))")
        #expect(Set(list.firstPartyDomains) == ["example-shop.cn", "exshop-cdn.cn"])
        let umeng = try #require(list.entries.first { $0.sdk?.id == "umeng-analytics" })
        #expect(umeng.piTypes.isSuperset(of: [.imei, .oaid, .androidID, .mac, .coordinates]))
        #expect(umeng.row == 3)
    }

    @Test func csvWithBOMAndGB18030GiveTheSameEntries() throws {
        let gb = try Self.read("gb18030.csv")
        let xlsx = try Self.read("complete.xlsx")
        #expect(gb.entries.map(\.sdk?.id) == xlsx.entries.map(\.sdk?.id))
        #expect(gb.entries.map(\.piTypes) == xlsx.entries.map(\.piTypes))
        let missing = try Self.read("missing-sdk.csv")
        #expect(!missing.entries.contains { $0.sdk?.id == "tencent-gdt" })
        #expect(Set(missing.firstPartyDomains) == ["example-shop.cn", "exshop-cdn.cn"])
    }

    @Test func yamlAndJSONDeclareTheSameNarrowScope() throws {
        for name in ["narrow-scope.yaml", "narrow-scope.json"] {
            let list = try Self.read(name)
            let umeng = try #require(list.entries.first { $0.sdk?.id == "umeng-analytics" }, "\(name)")
            #expect(!umeng.piTypes.contains(.coordinates), "\(name): 位置信息 is not declared for Umeng")
            #expect(umeng.piTypes.contains(.imei))
            #expect(Set(list.firstPartyDomains) == ["example-shop.cn", "exshop-cdn.cn"], "\(name)")
        }
    }

    @Test func unknownWordsAndUnmatchedRowsAreWarningsNotSilence() throws {
        let list = try Self.read("unknown-words.csv")
        #expect(list.entries.count == 3)
        #expect(list.warnings.contains { $0.contains("row 3") && $0.contains("灵犀码") }, "\(list.warnings)")
        #expect(list.warnings.contains { $0.contains("row 4") && $0.contains("无名氏推送SDK") }, "\(list.warnings)")
    }

    @Test func malformedFilesAreErrorsWithRowAndColumn() throws {
        do {
            _ = try Self.read("malformed.csv")
            Issue.record("malformed.csv was accepted")
        } catch {
            #expect(error.row == 4 && error.column == 3, "\(error)")
            #expect(error.message.contains("unterminated quote"))
        }
        do {
            _ = try Self.read("malformed.yaml")
            Issue.record("malformed.yaml was accepted")
        } catch {
            #expect(error.row == 9 && error.column == 15, "\(error)")
            #expect(error.description.contains("line 9"))
        }
    }

    @Test func piCellsReadTheBracketsAsTheScope() {
        let reading = Self.vocabulary.read("设备信息（设备型号、操作系统版本、Android ID）、日志信息（崩溃信息）")
        #expect(reading.types == [.androidID], "\(reading)")
        let umbrella = Self.vocabulary.read("设备标识符、位置信息")
        #expect(umbrella.types.isSuperset(of: [.imei, .oaid, .androidID, .coordinates]))
        #expect(Self.vocabulary.read("灵犀码").unknown == ["灵犀码"])
        #expect(Self.vocabulary.read("设备型号").notDetected == ["设备型号"])
    }
}

@Suite struct NecessaryPITests {
    @Test func thirtyNineTypesNoneNeedingDeviceIdentifiers() throws {
        let types = try NecessaryPI.builtIn()
        #expect(types.count == 39)
        #expect(types.allSatisfy { $0.necessaryTypes.isDisjoint(with: [.imei, .androidID, .oaid, .mac, .appList, .contactList]) })
        let shopping = try #require(types.first { $0.id == "online_shopping" })
        #expect(shopping.necessaryTypes.contains(.phoneCN))
    }
}
