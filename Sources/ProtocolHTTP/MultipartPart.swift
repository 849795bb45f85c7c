/// One part of a `multipart/form-data` (or other multipart) body, with the
/// fields of its `Content-Disposition` that name what the part carries.
public struct MultipartPart: Sendable {
    public var name: String?
    public var filename: String?
    /// Lowercased media type without parameters.
    public var contentType: String?
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(name: String? = nil, filename: String? = nil, contentType: String? = nil,
                headers: [HTTPHeader] = [], body: [UInt8]) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }
}
