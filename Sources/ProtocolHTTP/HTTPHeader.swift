/// One header field line, as sent. Names keep their wire case and the list
/// keeps wire order, because repeated fields and their order matter to the
/// detectors (cookies, several `Authorization` lines).
public struct HTTPHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
