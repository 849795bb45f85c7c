import Facts

/// Masks PI inside strings that came from the wire before they reach a view
/// (`Detectors.WireTextRedactor` is the one the engine uses). Learns from the
/// stream's sightings, so a value found anywhere is masked everywhere.
public protocol WireTextMasking: AnyObject {
    func learn(_ match: PIMatch)
    func redact(_ text: String) -> String
}

/// Each view masks the strings it took from the wire; computed ones (ids,
/// fingerprints, spellings of suites and versions) are left alone.
extension FlowView {
    mutating func redact(_ masking: any WireTextMasking) {
        serverName = serverName.map(masking.redact)
    }
}

extension CertificateView {
    mutating func redact(_ masking: any WireTextMasking) {
        subject = subject.map(masking.redact)
        issuer = issuer.map(masking.redact)
        subjectAlternativeNames = subjectAlternativeNames.map(masking.redact)
    }
}

extension HandshakeView {
    mutating func redact(_ masking: any WireTextMasking) {
        sni = sni.map(masking.redact)
        groupName = groupName.map(masking.redact)
        for index in certificates.indices { certificates[index].redact(masking) }
        for index in clientCertificates.indices { clientCertificates[index].redact(masking) }
    }
}

extension FindingView {
    mutating func redact(_ masking: any WireTextMasking) {
        message = masking.redact(message)
        serverName = serverName.map(masking.redact)
        recipient = recipient.map(masking.redact)
        for index in evidence.indices { evidence[index].value = masking.redact(evidence[index].value) }
        if var shown = pii {
            shown.decoding = shown.decoding.map(masking.redact)
            shown.field = shown.field.map(masking.redact)
            shown.detail = shown.detail.map(masking.redact)
            pii = shown
        }
        if var context = http {
            context.host = context.host.map(masking.redact)
            context.path = context.path.map(masking.redact)
            http = context
        }
    }
}

extension RecipientView {
    mutating func redact(_ masking: any WireTextMasking) {
        name = masking.redact(name)
        names = names.map(masking.redact)
    }
}
