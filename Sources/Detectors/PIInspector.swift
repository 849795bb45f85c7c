import Facts

/// Finds personal information in one value or body. Immutable and Sendable:
/// the device-identifier index is built once and shared by every flow.
public struct PIInspector: Sendable {
    public let limits: InspectionLimits
    let device: DeviceVariantIndex?
    /// When set, every `inspect` call adds its CPU time and input size here.
    public var meter: ScanMeter?

    public init(device: DeviceIdentifiers? = nil, limits: InspectionLimits = .init()) {
        self.limits = limits
        self.device = device.map(DeviceVariantIndex.init)
    }

    /// Inspects one value or body whose structure is known; `field` is its key
    /// (parameter, header, cookie, JSON key) for context; `decoding` the chain so far.
    public func inspect(_ bytes: RawSpan, as kind: ContentKind, field: String?, decoding: [String]) -> [PIMatch] {
        bytes.withUnsafeBytes { raw in
            inspect(raw.assumingMemoryBound(to: UInt8.self), as: kind, field: field, decoding: decoding)
        }
    }

    /// Convenience for callers holding an array.
    public func inspect(_ bytes: [UInt8], as kind: ContentKind, field: String? = nil, decoding: [String] = []) -> [PIMatch] {
        bytes.withUnsafeBufferPointer { inspect($0, as: kind, field: field, decoding: decoding) }
    }

    func inspect(_ p: UnsafeBufferPointer<UInt8>, as kind: ContentKind, field: String?, decoding: [String]) -> [PIMatch] {
        guard let meter else { return inspectUnmetered(p, as: kind, field: field, decoding: decoding) }
        let start = ScanMeter.threadCPUNanoseconds()
        defer { meter.record(bytes: p.count, kind: kind, since: start) }
        return inspectUnmetered(p, as: kind, field: field, decoding: decoding)
    }

    private func inspectUnmetered(_ p: UnsafeBufferPointer<UInt8>, as kind: ContentKind, field: String?, decoding: [String]) -> [PIMatch] {
        let ins = Inspection(limits: limits, device: device)
        for step in decoding { ins.frames.append(.init(step: .fixed(step), field: nil)) }
        let fieldTags = field.map { ContextWords.tags(forKey: $0) } ?? []
        ins.frames.append(.init(step: nil, field: field.map { .name($0) }))
        switch kind {
        case .queryString:
            ins.inspectPairs(p, separator: UInt8(ascii: "&"), plusIsSpace: false, step: "query")
        case .form:
            ins.inspectPairs(p, separator: UInt8(ascii: "&"), plusIsSpace: true, step: "form")
        case .cookieHeader:
            ins.inspectPairs(p, separator: UInt8(ascii: ";"), plusIsSpace: false, step: "cookie")
        case .json:
            ins.inspectJSON(p)
        case .headerValue(let name):
            inspectHeader(p, name: name, in: ins)
        case .multipartField(let name):
            let tags = ContextWords.tags(forKey: name)
            ins.withFrame(field: .name(name)) { ins.inspectLeaf(p, keyTags: tags.union(fieldTags)) }
        case .dnsName:
            inspectDNS(p, in: ins)
        case .text, .binary:
            guard ins.consume(p.count) else { break }
            if Decoders.isGzip(p) || (kind == .binary && Decoders.isZlib(p)) {
                let gzip = Decoders.isGzip(p)
                if let inflated = Decoders.inflate(p, gzip: gzip, limit: limits.maxDecodedBytes) {
                    inflated.withUnsafeBufferPointer { ins.inspectDecoded($0, steps: [gzip ? "gzip" : "zlib"], keyTags: fieldTags) }
                }
            } else if kind == .text, Inspection.looksLikeJSON(p) {
                ins.inspectJSON(p)
            } else if !fieldTags.isEmpty {
                ins.inspectLeaf(p, keyTags: fieldTags)
            } else {
                ins.scanText(p, keyTags: [])
            }
        }
        return ins.deduplicated()
    }

    private func inspectHeader(_ p: UnsafeBufferPointer<UInt8>, name: String, in ins: Inspection) {
        let lower = name.lowercased()
        switch lower {
        case "cookie":
            ins.withFrame(field: .name(name)) {
                ins.inspectPairs(p, separator: UInt8(ascii: ";"), plusIsSpace: false, step: "cookie")
            }
            return
        case "set-cookie":
            var end = 0
            while end < p.count, p[end] != UInt8(ascii: ";") { end += 1 }
            ins.withFrame(field: .name(name)) {
                ins.inspectPairs(UnsafeBufferPointer(rebasing: p[0..<end]), separator: UInt8(ascii: ";"), plusIsSpace: false, step: "cookie")
            }
            return
        case "authorization", "proxy-authorization":
            ins.withFrame(field: .name(name)) { authorization(p, in: ins) }
            return
        default:
            let tags = ContextWords.tags(forKey: name)
            ins.withFrame(field: .name(name)) { ins.inspectLeaf(p, keyTags: tags) }
        }
    }

    /// Basic credentials are always reported: they are a password in base64.
    private func authorization(_ p: UnsafeBufferPointer<UInt8>, in ins: Inspection) {
        var sp = 0
        while sp < p.count, p[sp] != 0x20 { sp += 1 }
        let scheme = String(decoding: UnsafeBufferPointer(rebasing: p[0..<sp]), as: UTF8.self).lowercased()
        var cs = sp
        while cs < p.count, p[cs] == 0x20 { cs += 1 }
        let credentials = UnsafeBufferPointer(rebasing: p[cs...])
        guard !credentials.isEmpty else { return }
        switch scheme {
        case "basic":
            guard let decoded = Decoders.base64Decode(credentials, limit: 4096), decoded.contains(UInt8(ascii: ":")) else {
                ins.emit(.authToken, String(decoding: credentials, as: UTF8.self), confidence: 0.8, detail: "undecodable Basic credentials")
                return
            }
            let text = String(decoding: decoded, as: UTF8.self)
            ins.emit(.basicAuth, text, confidence: 0.99, detail: "HTTP Basic user:password", extraSteps: ["base64"])
            decoded.withUnsafeBufferPointer { d in
                ins.withFrame(step: .fixed("base64")) { ins.scanText(d, keyTags: []) }
            }
        case "bearer":
            ins.emit(.authToken, String(decoding: credentials, as: UTF8.self), confidence: 0.95, detail: "Bearer token")
            if credentials.count >= 20, credentials[0] == UInt8(ascii: "e"), credentials[1] == UInt8(ascii: "y") {
                ins.jwtPayload(credentials, keyTags: [])
            }
        default:
            ins.emit(.authToken, String(decoding: p, as: UTF8.self), confidence: 0.85, detail: "Authorization \(scheme) credentials")
        }
    }

    /// Exfiltration through DNS puts one encoded identifier per label; labels are
    /// lower-cased in transit, hence base32 alongside hex.
    private func inspectDNS(_ p: UnsafeBufferPointer<UInt8>, in ins: Inspection) {
        guard ins.consume(p.count) else { return }
        var start = 0
        while start < p.count {
            var end = start
            while end < p.count, p[end] != UInt8(ascii: ".") { end += 1 }
            let label = UnsafeBufferPointer(rebasing: p[start..<end])
            if !label.isEmpty {
                ins.inspectLeaf(label, keyTags: [])
                if label.count >= 16, !Validators.allHex(label), label.allSatisfy({ ByteClass.isAlpha($0) || ($0 &- 50 < 6) }),
                   let decoded = Decoders.base32Decode(label, limit: limits.maxDecodedBytes) {
                    decoded.withUnsafeBufferPointer { d in
                        if Decoders.isMostlyPrintable(d) { ins.inspectDecoded(d, steps: ["base32"], keyTags: []) }
                    }
                }
            }
            start = end + 1
        }
    }

    /// Face images are recognised by the caller from the endpoint; this only says
    /// whether a body is an image at all (JPEG, PNG or WebP magic).
    public static func looksLikeImage(_ bytes: RawSpan) -> Bool {
        bytes.withUnsafeBytes { raw in looksLikeImage(raw.assumingMemoryBound(to: UInt8.self)) }
    }

    public static func looksLikeImage(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { looksLikeImage($0) }
    }

    static func looksLikeImage(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if b.count >= 3, b[0] == 0xFF, b[1] == 0xD8, b[2] == 0xFF { return true }
        if b.count >= 8, b[0] == 0x89, b[1] == 0x50, b[2] == 0x4E, b[3] == 0x47, b[4] == 0x0D, b[5] == 0x0A, b[6] == 0x1A, b[7] == 0x0A { return true }
        if b.count >= 12, b[0] == 0x52, b[1] == 0x49, b[2] == 0x46, b[3] == 0x46,
           b[8] == 0x57, b[9] == 0x45, b[10] == 0x42, b[11] == 0x50 { return true }
        return false
    }
}
