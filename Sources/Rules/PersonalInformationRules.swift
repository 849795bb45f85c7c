import Detectors
import Dissection
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

    func evaluate(_ observations: [PIObservation], flows: [Int: FlowFact]) -> [Finding] {
        observations.compactMap { observation in
            let match = observation.match
            guard match.confirmed || match.confidence >= policy.minimumPIConfidence else { return nil }
            let flow = flows[observation.flow]
            let rule = rule(for: match.type)
            var whereText = ""
            if let http = observation.http {
                whereText = " (\(http.method ?? "HTTP") \(http.path ?? "")\(match.field.map { ", field \($0)" } ?? ""))"
            } else if let field = match.field {
                whereText = " (field \(field))"
            }
            let direction = observation.sender == .client ? "sent by the client" : "sent by the server"
            let repeats = observation.count > 1 ? ", \(observation.count) times" : ""
            let confirmed = match.confirmed ? " — the test device's own identifier" : ""
            let message = "\(match.type.displayName) \(direction) in plaintext over \(observation.carrier)\(whereText): \(match.masked)\(repeats)\(confirmed)"
            var evidence = [
                EvidenceItem("pi_type", match.type.rawValue),
                EvidenceItem("masked", match.masked),
                EvidenceItem("decoding", match.decoding.joined(separator: " → ")),
                EvidenceItem("carrier", observation.carrier),
            ]
            if let detail = match.detail { evidence.append(EvidenceItem("detail", detail)) }
            return Finding(rule: rule, severity: rule.entry.defaultSeverity, message: message, file: observation.file,
                           flow: observation.flow, packets: observation.packets, timeNanos: observation.first.timeNanos,
                           serverName: flow?.serverName ?? observation.http?.host, client: flow?.client, server: flow?.server,
                           evidence: evidence, personalInformation: observation)
        }
    }
}
