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
            guard observation.confirmed || sighting.confidence >= policy.minimumPIConfidence else { return nil }
            let rule = rule(for: sighting.type)
            var whereText = ""
            if let http = sighting.http {
                whereText = " (\(http.method ?? "HTTP") \(http.path ?? "")\(sighting.field.map { ", field \($0)" } ?? ""))"
            } else if let field = sighting.field {
                whereText = " (field \(field))"
            }
            let direction = sighting.sender == .client ? "sent by the client" : "sent by the server"
            let repeats = observation.count > 1 ? ", \(observation.count) times" : ""
            let confirmed = observation.confirmed ? " — the test device's own identifier" : ""
            let message = "\(sighting.type.displayName) \(direction) in plaintext over \(sighting.carrier.rawValue)\(whereText): \(sighting.masked)\(repeats)\(confirmed)"
            var evidence = [
                EvidenceItem("pi_type", sighting.type.rawValue),
                EvidenceItem("masked", sighting.masked),
                EvidenceItem("decoding", sighting.decoding.joined(separator: " → ")),
                EvidenceItem("carrier", sighting.carrier.rawValue),
            ]
            if let detail = sighting.detail { evidence.append(EvidenceItem("detail", detail)) }
            return Finding(rule: rule, severity: rule.entry.defaultSeverity, message: message, file: sighting.file,
                           flow: sighting.flow, packets: observation.packets, timeNanos: sighting.first.timeNanos,
                           serverName: flow.serverName?.name ?? sighting.http?.host, client: flow.client, server: flow.server,
                           evidence: evidence, personalInformation: observation)
        }
    }
}
