import Facts
import Flows

/// Requirements §1 (socket mode) and §2: personal information must not
/// cross the network unencrypted. One finding per (PI type, value, flow),
/// with the repeats counted; the message shows only the masked value.
struct PersonalInformationRules {
    let policy: Policy

    static let credentialTypes: Set<PIType> = [.password, .authToken, .basicAuth]

    func rule(for type: PIType) -> RuleID {
        if type == .faceImage { return .biometricSampleSent }
        if Self.credentialTypes.contains(type) { return .credentialsPlaintext }
        return policy.sensitivePITypes.contains(type) ? .sensitivePIPlaintext : .personalInformationPlaintext
    }

    func evaluate(_ observations: [PIObservation], flow: FlowFact) -> [Finding] {
        observations.compactMap { observation in
            let sighting = observation.first
            let match = sighting.match
            guard observation.confirmed || match.confidence >= policy.minimumPIConfidence else { return nil }
            let rule = rule(for: match.type)
            var whereText = ""
            if let http = sighting.http {
                whereText = " (\(http.method ?? "HTTP") \(http.path ?? "")\(match.field.map { ", field \($0)" } ?? ""))"
            } else if let field = match.field {
                whereText = " (field \(field))"
            }
            let direction = sighting.sender == .client ? "sent by the client" : "sent by the server"
            let repeats = observation.count > 1 ? ", \(observation.count) times" : ""
            let confirmed = observation.confirmed ? " — the test device's own identifier" : ""
            let message = "\(match.type.displayName) \(direction) in plaintext over \(sighting.carrier.rawValue)\(whereText): \(match.masked)\(repeats)\(confirmed)"
            var evidence = [
                EvidenceItem("pi_type", match.type.rawValue),
                EvidenceItem("masked", match.masked),
                EvidenceItem("decoding", match.decoding.joined(separator: " → ")),
                EvidenceItem("carrier", sighting.carrier.rawValue),
            ]
            if let detail = match.detail { evidence.append(EvidenceItem("detail", detail)) }
            return Finding(rule: rule, severity: rule.entry.defaultSeverity, message: message, file: sighting.file,
                           flow: sighting.flow, packets: observation.packets, timeNanos: sighting.first.timeNanos,
                           serverName: flow.serverName?.name, client: flow.client, server: flow.server,
                           evidence: evidence, personalInformation: observation)
        }
    }
}
