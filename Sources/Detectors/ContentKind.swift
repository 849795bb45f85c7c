/// What the caller already knows about the structure of the bytes it hands over;
/// the inspector splits structured content itself so key names can serve as context.
public enum ContentKind: Sendable, Equatable {
    case queryString
    case form
    case json
    case cookieHeader
    case headerValue(name: String)
    case text
    case binary
    case dnsName
    case multipartField(name: String)
}

extension ContentKind {
    /// Names of the kinds as `ScanMeter` reports them.
    static let meterLabels = ["json", "form", "query", "cookie", "header", "multipart", "text", "binary", "dns"]

    var meterIndex: Int {
        switch self {
        case .json: 0
        case .form: 1
        case .queryString: 2
        case .cookieHeader: 3
        case .headerValue: 4
        case .multipartField: 5
        case .text: 6
        case .binary: 7
        case .dnsName: 8
        }
    }
}
