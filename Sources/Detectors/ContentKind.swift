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
