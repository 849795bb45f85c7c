/// Outcome of ``CertificateParse/parse(_:)``: a lenient view of an X.509
/// `Certificate` (RFC 5280 §4.1) or the reason the bytes are not one.
public enum CertificateParseResult: Sendable, Hashable {
    case certificate(ObservedCertificate)
    case notDER(NotDERCertificate)

    /// The certificate, if parsing succeeded.
    public var certificate: ObservedCertificate? {
        if case .certificate(let c) = self { return c }
        return nil
    }

    /// The rejection, if parsing failed.
    public var notDER: NotDERCertificate? {
        if case .notDER(let n) = self { return n }
        return nil
    }
}
