import Facts
import Flows
import ThirdParties
import WireBytes

/// What the tester says about the app under test: its declared sharing list,
/// when the user consented or refused, and its app type.
public struct ThirdPartyConfiguration: Sendable {
    public var declared: DeclaredList?
    public var consent: ConsentSetting?
    public var appType: AppType?

    public init(declared: DeclaredList? = nil, consent: ConsentSetting? = nil, appType: AppType? = nil) {
        self.declared = declared
        self.consent = consent
        self.appType = appType
    }
}

/// One line of the sharing record (MPS-GUIDE's sharing and transfer record):
/// everything the capture shows of one recipient.
public struct RecipientRecord: Sendable {
    public var name: String
    public var names: [String]
    public var sdk: SDKAttribution?
    public var party: Party
    public var firstTimeNanos: Int64
    public var lastTimeNanos: Int64
    /// Flow ids, in the order they closed (the first `maximumFlowIDs`; `flowCount` has them all).
    public var flows: [Int]
    public var flowCount: Int
    public var requests: Int
    public var bytesSent: UInt64
    public var bytesReceived: UInt64
    /// Sightings per PI type (plaintext only: encrypted traffic hides its PI).
    public var piTypes: [PIType: Int]
    public var encryptedFlows: Int
    public var plaintextFlows: Int
    /// Nil when no declared list was given.
    public var declared: Bool?
    /// Any of its traffic preceded consent; nil unless a consent moment is known (`--consent-at`, `--consent-marker`).
    public var beforeConsent: Bool?
    /// Any of its traffic followed the refusal; nil unless `--consent refused`.
    public var afterRefusal: Bool?
}

/// The rules about recipients (requirements §3, §4, §6), judged as each flow
/// closes, plus the sharing record they build. One finding per recipient (or
/// per recipient and PI type), the first time the capture shows it.
final class ThirdPartyRules {
    private let policy: Policy
    private let configuration: ThirdPartyConfiguration
    private var records: [String: RecipientRecord] = [:]
    private var order: [String] = []
    private var reported: Set<String> = []
    private var requestsByFlow: [Int: Int] = [:]
    private var captureStart: Int64?
    private var markerTime: Int64?
    /// Per open flow and PI type: the client messages that carried it (an HTTP
    /// request, or the packet that began a raw message) and when each began.
    private var messages: [Int: [PIType: [Int: Int64]]] = [:]
    /// Message times per (recipient, PI type), for the frequency rule.
    private var times: [String: [Int64]] = [:]
    static let maximumMessages = 4096

    init(policy: Policy, configuration: ThirdPartyConfiguration) {
        self.policy = policy
        self.configuration = configuration
    }

    // MARK: the stream

    func observe(_ event: FactEvent) {
        switch event {
        case .flowOpened(let flow):
            if captureStart == nil { captureStart = flow.first.timeNanos }
        case .piSighting(let sighting) where sighting.sender == .client:
            // The analyzer announces a request before its sightings, so the request count names the message.
            let unit = sighting.carrier == .http ? requestsByFlow[sighting.flow, default: 0] : -sighting.first.packet
            if messages[sighting.flow]?[sighting.match.type]?[unit] == nil,
               messages[sighting.flow]?[sighting.match.type]?.count ?? 0 < Self.maximumMessages {
                messages[sighting.flow, default: [:]][sighting.match.type, default: [:]][unit] = sighting.first.timeNanos
            }
        case .httpMessage(let message) where message.isRequest:
            requestsByFlow[message.flow, default: 0] += 1
            if markerTime == nil, case .marker(let host, let prefix)? = configuration.consent?.moment,
               (message.path ?? "").hasPrefix(prefix), host.map({ $0 == message.host?.lowercased() }) ?? true {
                markerTime = message.first.timeNanos
            }
        default:
            break
        }
    }

    /// The consent (or refusal) moment, if known by now.
    private var consentTime: Int64? {
        switch configuration.consent?.moment {
        case .at(let time)?: time
        case .afterStart(let offset)?: captureStart.map { $0 + offset }
        case .marker?: markerTime
        case .none?, nil: nil
        }
    }

    /// A recipient is a server name (or, unnamed, an address); its SDK is what the name belongs to.
    private func recipientKey(_ flow: FlowFact) -> (key: String, name: String) {
        let name = flow.serverName?.name.lowercased() ?? flow.server.address.description
        return (name, name)
    }

    /// Who `flow` talked to, by the name the sharing record gives it.
    func recipient(of flow: FlowFact) -> String {
        recipientKey(flow).name
    }

    func flowClosed(_ flow: FlowFact, observations: [PIObservation]) -> [Finding] {
        let carried = messages.removeValue(forKey: flow.id) ?? [:]
        guard flow.party != nil else { return [] }
        let (key, name) = recipientKey(flow)
        let encrypted = flow.application == .tls || flow.application == .tlcp || flow.analyzers.contains("quic")
        let carriesPayload = flow.clientBytes + flow.serverBytes > 0
        if records[key] == nil {
            order.append(key)
            records[key] = RecipientRecord(
                name: name, names: [], sdk: flow.sdk, party: flow.party ?? .unattributed, firstTimeNanos: flow.first.timeNanos,
                lastTimeNanos: flow.last.timeNanos, flows: [], flowCount: 0, requests: 0, bytesSent: 0, bytesReceived: 0, piTypes: [:],
                encryptedFlows: 0, plaintextFlows: 0, declared: nil, beforeConsent: nil, afterRefusal: nil)
        }
        let requests = requestsByFlow.removeValue(forKey: flow.id) ?? 0
        let declared = configuration.declared.map { declaredEntries(for: flow, in: $0) != nil }
        // In place: a recipient a flood of flows reaches must not be copied once a flow.
        update(key) { record in
            if record.names.count < Self.maximumNames, !record.names.contains(name) { record.names.append(name) }
            record.firstTimeNanos = min(record.firstTimeNanos, flow.first.timeNanos)
            record.lastTimeNanos = max(record.lastTimeNanos, flow.last.timeNanos)
            if record.flows.count < Self.maximumFlowIDs { record.flows.append(flow.id) }
            record.flowCount += 1
            record.requests += requests
            record.bytesSent += flow.clientBytes
            record.bytesReceived += flow.serverBytes
            if carriesPayload { if encrypted { record.encryptedFlows += 1 } else { record.plaintextFlows += 1 } }
            for (type, units) in carried { record.piTypes[type, default: 0] += units.count }
            if let declared, record.party == .third { record.declared = declared }
        }
        return judge(flow, record: records[key]!, key: key, observations: observations, carried: carried)
    }

    static let maximumFlowIDs = 1000
    static let maximumNames = 64

    private func update(_ key: String, _ change: (inout RecipientRecord) -> Void) {
        change(&records[key]!)
    }

    private func declaredEntries(for flow: FlowFact, in list: DeclaredList) -> [DeclaredEntry]? {
        if let sdk = flow.sdk {
            let entries = list.entries.filter { $0.sdk?.id == sdk.id }
            if !entries.isEmpty { return entries }
        }
        if let name = flow.serverName?.name, let entry = list.entry(forHost: name) { return [entry] }
        return nil
    }

    private func once(_ token: String) -> Bool { reported.insert(token).inserted }

    /// The observations whose type this rule has not yet reported for this recipient, one per type, first seen first.
    private func newTypes(_ observations: [PIObservation], rule: RuleID, key: String) -> [PIObservation] {
        var seen = Set<PIType>()
        return observations.sorted { $0.first.first.packet < $1.first.first.packet }.filter { observation in
            seen.insert(observation.type).inserted && once("\(rule.rawValue) \(key) \(observation.type.rawValue)")
        }
    }

    private func typeList(_ types: [PIType]) -> String {
        Array(Set(types)).map(\.rawValue).sorted().joined(separator: ", ")
    }

    private func packets(of observations: [PIObservation]) -> [Int] {
        Array(Set(observations.flatMap(\.packets))).sorted().prefix(PIObservation.maximumPackets).map { $0 }
    }

    /// `IMEI, OAID and Android ID`.
    private func displayList(_ types: [PIType]) -> String {
        let names = types.map(\.displayName)
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    private func finding(_ rule: RuleID, _ message: String, flow: FlowFact, at reference: PacketReference? = nil, packets: [Int]? = nil,
                         recipient: String, evidence: [EvidenceItem]) -> Finding {
        let at = reference ?? flow.first
        var made = Finding(rule: rule, severity: rule.entry.defaultSeverity, message: message, file: flow.file, flow: flow.id,
                           packets: packets ?? [at.packet], timeNanos: at.timeNanos, serverName: flow.serverName?.name,
                           client: flow.client, server: flow.server, evidence: evidence)
        made.recipient = recipient
        made.sdk = flow.sdk?.id
        return made
    }

    private func describe(_ sdk: SDKAttribution) -> String {
        "\(sdk.name) (\(sdk.vendor); \(sdk.category))"
    }

    private func attributionEvidence(_ sdk: SDKAttribution) -> [EvidenceItem] {
        [EvidenceItem("sdk", sdk.id), EvidenceItem("vendor", sdk.vendor), EvidenceItem("category", sdk.category),
         EvidenceItem("matched", "\(sdk.patternKind) \(sdk.pattern) on the \(sdk.matchedSource.replacingOccurrences(of: "_", with: " "))"),
         EvidenceItem("confidence", sdk.confidence)]
    }

    private func judge(_ flow: FlowFact, record: RecipientRecord, key: String, observations: [PIObservation], carried: [PIType: [Int: Int64]]) -> [Finding] {
        var findings: [Finding] = []
        let recipient = record.name
        let third = record.party == .third
        let plaintextTypes = observations.map(\.type)

        if third, let sdk = flow.sdk, !observations.isEmpty, once("\(RuleID.thirdPartyPlaintextPI.rawValue) \(key)") {
            findings.append(finding(.thirdPartyPlaintextPI,
                                    "PI (\(typeList(plaintextTypes))) sent in plaintext to \(recipient), the \(describe(sdk)); attribution \(sdk.confidence) confidence",
                                    flow: flow, at: observations.first?.first.first, packets: observations.first?.packets,
                                    recipient: recipient,
                                    evidence: [EvidenceItem("pi_types", typeList(plaintextTypes))] + attributionEvidence(sdk)))
        }

        if let declared = configuration.declared, third, let sdk = flow.sdk {
            if let entries = declaredEntries(for: flow, in: declared) {
                let scope = entries.reduce(into: Set<PIType>()) { $0.formUnion($1.piTypes) }
                let beyond = newTypes(observations.filter { !scope.contains($0.type) }, rule: .thirdPartyBeyondDeclaredScope, key: key)
                if let first = beyond.first {
                    let rows = entries.map { "row \($0.row)" }.joined(separator: ", ")
                    let types = beyond.map(\.type)
                    findings.append(finding(.thirdPartyBeyondDeclaredScope,
                                            "\(displayList(types)) sent to \(recipient) (\(sdk.name)), which \(declared.path) (\(rows)) declares only for \(scope.isEmpty ? "no detectable PI" : typeList(Array(scope)))",
                                            flow: flow, at: first.first.first, packets: packets(of: beyond), recipient: recipient,
                                            evidence: [EvidenceItem("pi_types", typeList(types)), EvidenceItem("declared_types", typeList(Array(scope))),
                                                       EvidenceItem("declared_rows", rows), EvidenceItem("declared_text", entries.compactMap(\.piText).joined(separator: " | "))]
                                                + attributionEvidence(sdk)))
                }
            } else if once("\(RuleID.thirdPartyUndeclared.rawValue) \(key)") {
                findings.append(finding(.thirdPartyUndeclared,
                                        "\(recipient) is the \(describe(sdk)), which \(declared.path) does not list; attribution \(sdk.confidence) confidence",
                                        flow: flow, recipient: recipient,
                                        evidence: attributionEvidence(sdk) + [EvidenceItem("declared_list", declared.path)]))
            }
        }

        findings += consentFindings(flow, record: record, key: key, observations: observations)
        findings += frequencyFindings(flow, key: key, recipient: recipient, carried: carried, observations: observations)
        return findings
    }

    private func consentFindings(_ flow: FlowFact, record: RecipientRecord, key: String, observations: [PIObservation]) -> [Finding] {
        guard let consent = configuration.consent else { return [] }
        var findings: [Finding] = []
        let recipient = record.name
        let moment = consentTime
        // Before consent: earlier than the moment, or any time if the moment has not come (yet).
        // After refusal: from the refusal moment on, or the whole session when none is known.
        func inWindow(_ time: Int64) -> Bool {
            if consent.refused { return moment.map { time >= $0 } ?? true }
            if case .none = consent.moment { return false }
            return moment.map { time < $0 } ?? true
        }
        let rule: RuleID = consent.refused ? .consentAfterRefusal : .consentBefore
        let phrase = consent.refused ? "after the user refused" : "before the user consented"
        let momentText = moment.map { isoTime($0) } ?? (consent.refused ? "the start of the capture" : "a consent never seen")
        if consent.refused {
            let after = (records[key]?.afterRefusal ?? false) || inWindow(flow.last.timeNanos)
            records[key]?.afterRefusal = after
        } else if case .none = consent.moment {
        } else {
            let before = (records[key]?.beforeConsent ?? false) || inWindow(flow.first.timeNanos)
            records[key]?.beforeConsent = before
        }

        let flagged = observations.filter { inWindow($0.first.first.timeNanos) }
        let momentEvidence = EvidenceItem(consent.refused ? "refused_at" : "consent_at", momentText)
        let sdkText = flow.sdk.map { ", the \(describe($0))," } ?? ""
        let reported = newTypes(flagged, rule: rule, key: key)
        if let first = reported.first {
            let types = reported.map(\.type)
            _ = once("\(rule.rawValue) \(key) traffic")
            findings.append(finding(rule, "\(displayList(types)) sent to \(recipient)\(sdkText) \(phrase) (\(momentText))",
                                    flow: flow, at: first.first.first, packets: packets(of: reported), recipient: recipient,
                                    evidence: [EvidenceItem("pi_types", typeList(types)), momentEvidence]
                                        + (flow.sdk.map(attributionEvidence) ?? [])))
        } else if let sdk = flow.sdk, record.party == .third, sdk.collectsPI, !policy.allowedBeforeConsent.contains(sdk.category),
                  inWindow(consent.refused ? flow.last.timeNanos : flow.first.timeNanos),
                  once("\(rule.rawValue) \(key) traffic") {
            findings.append(finding(rule, "\(recipient), the \(describe(sdk)), which collects PI, was contacted \(phrase) (\(momentText))",
                                    flow: flow, recipient: recipient, evidence: attributionEvidence(sdk) + [momentEvidence]))
        }
        if let appType = configuration.appType {
            let unnecessary = newTypes(flagged.filter { !appType.necessaryTypes.contains($0.type) }, rule: .consentUnnecessaryForAppType, key: key)
            if let first = unnecessary.first {
                let types = unnecessary.map(\.type)
                findings.append(finding(.consentUnnecessaryForAppType,
                                        "\(displayList(types)) sent to \(recipient) \(phrase), though a \(appType.nameZH) (\(appType.nameEN)) app's basic function needs only: \(appType.necessaryItems.isEmpty ? "无须个人信息" : appType.necessaryItems.joined(separator: "、"))",
                                        flow: flow, at: first.first.first, packets: packets(of: unnecessary), recipient: recipient,
                                        evidence: [EvidenceItem("pi_types", typeList(types)), EvidenceItem("app_type", appType.id),
                                                   EvidenceItem("basic_function", appType.basicFunction),
                                                   EvidenceItem("necessary", appType.necessaryItems.joined(separator: "、")), momentEvidence]))
            }
        }
        return findings
    }

    private func frequencyFindings(_ flow: FlowFact, key: String, recipient: String, carried: [PIType: [Int: Int64]],
                                   observations: [PIObservation]) -> [Finding] {
        guard !carried.isEmpty else { return [] }
        var findings: [Finding] = []
        let window = Int64(policy.frequencyWindowSeconds) * 1_000_000_000
        for type in PIType.allCases where policy.frequencyTypes.contains(type) {
            guard let units = carried[type], let observation = observations.first(where: { $0.type == type }) else { continue }
            let token = "\(key) \(type.rawValue)"
            var list = (times[token] ?? []) + units.values
            list.sort()
            if list.count > Self.maximumMessages { list.removeFirst(list.count - Self.maximumMessages) }
            times[token] = list
            // The most messages within any window.
            var best = 0
            var start = 0
            for end in list.indices {
                while list[end] - list[start] > window { start += 1 }
                best = max(best, end - start + 1)
            }
            guard best > policy.frequencyMaximum, once("\(RuleID.frequencyExcessive.rawValue) \(token)") else { continue }
            let mean = list.count > 1 ? Double(list.last! - list.first!) / 1e9 / Double(list.count - 1) : 0
            findings.append(finding(.frequencyExcessive,
                                    "\(type.displayName) sent to \(recipient) in \(best) messages within \(policy.frequencyWindowSeconds) s (about every \(String(format1: mean)) s, \(list.count) in all); the policy allows \(policy.frequencyMaximum)",
                                    flow: flow, at: observation.first.first, packets: observation.packets, recipient: recipient,
                                    evidence: [EvidenceItem("pi_type", type.rawValue), EvidenceItem("messages_in_window", "\(best)"),
                                               EvidenceItem("messages", "\(list.count)"),
                                               EvidenceItem("window_seconds", "\(policy.frequencyWindowSeconds)"),
                                               EvidenceItem("maximum", "\(policy.frequencyMaximum)"),
                                               EvidenceItem("mean_interval_seconds", String(format1: mean))]))
        }
        return findings
    }

    /// End of the run: declared SDKs the capture never reached.
    func finish() -> [Finding] {
        guard let declared = configuration.declared else { return [] }
        let seen = Set(records.values.compactMap { $0.sdk?.id })
        var findings: [Finding] = []
        var named = Set<String>()
        for entry in declared.entries where !entry.serverSide {
            guard let sdk = entry.sdk, !seen.contains(sdk.id), named.insert(sdk.id).inserted else { continue }
            var made = Finding(rule: .thirdPartyDeclaredNotSeen, severity: RuleID.thirdPartyDeclaredNotSeen.entry.defaultSeverity,
                               message: "\(declared.path) row \(entry.row) declares \(entry.name) (\(sdk.name)), which no flow of the capture reached",
                               file: 0, flow: nil, packets: [], timeNanos: nil, serverName: nil, client: nil, server: nil,
                               evidence: [EvidenceItem("sdk", sdk.id), EvidenceItem("declared_row", "\(entry.row)"),
                                          EvidenceItem("declared_list", declared.path)])
            made.sdk = sdk.id
            made.recipient = sdk.name
            made.ordinal = entry.row
            findings.append(made)
        }
        return findings
    }

    /// The sharing record, in order of first contact.
    func recipients() -> [RecipientRecord] {
        order.compactMap { records[$0] }.sorted { ($0.firstTimeNanos, $0.name) < ($1.firstTimeNanos, $1.name) }
    }
}

extension String {
    /// One decimal place: 2.0, 12.5.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}

private func isoTime(_ nanos: Int64) -> String {
    Timestamp.iso8601(nanoseconds: nanos)
}
