// The SDK catalogue's lookup cost (bench/README.md): every flow's server name
// goes through SDKCatalog.lookup(host:) once, so it must stay far below the
// per-flow budget. Prints nanoseconds per lookup for three mixes of names; a
// figure, not a test.
import Foundation
import PacketDecoding
import ThirdParties

let catalog = try SDKCatalog.builtIn()
let known = catalog.entries.flatMap { entry in entry.domains.map { $0.kind == .wildcard ? "cn-hangzhou.\($0.value)" : $0.value } }
func label() -> String { String((0..<Int.random(in: 3...10)).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! }) }
let unknown = (0..<4096).map { _ in "\(label()).\(label()).\(["com", "cn", "net", "com.cn"].randomElement()!)" }
let deep = known.prefix(2048).map { "a.b.c.\($0)" }
let addresses = (0..<4096).compactMap { _ in IPAddress(parsing: "\(Int.random(in: 1...223)).\(Int.random(in: 0...255)).\(Int.random(in: 0...255)).\(Int.random(in: 1...254))") }

func measure(_ name: String, _ hosts: [String], rounds: Int = 200) {
    var matched = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<rounds { for host in hosts where catalog.lookup(host: host) != nil { matched += 1 } }
    let nanos = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(rounds * hosts.count)
    print(String(format: "catalog-bench: %-40@ %8.0f ns per lookup (%d names, %.0f%% matched)", name as NSString, nanos, hosts.count,
                 100 * Double(matched) / Double(rounds * hosts.count)))
}

print("catalog-bench: \(catalog.entries.count) SDKs, \(known.count) domain patterns")
measure("catalogue hosts (exact, suffix, wildcard)", known)
measure("unknown hosts (every suffix probed)", unknown)
measure("subdomains of catalogue hosts", deep)
var hits = 0
let start = DispatchTime.now().uptimeNanoseconds
for _ in 0..<200 { for address in addresses where catalog.lookup(address: address) != nil { hits += 1 } }
print(String(format: "catalog-bench: %-40@ %8.0f ns per lookup", "addresses (documented ranges)" as NSString,
             Double(DispatchTime.now().uptimeNanoseconds - start) / Double(200 * addresses.count)))
