import Facts

/// APP-GUIDE B.4 partial masking: enough left to recognise the item in a
/// report, not enough to reuse it. Rules per type are listed in docs/pii.md.
enum Masking {
    static func mask(_ type: PIType, _ value: String) -> String {
        // Characters, not bytes (an SSID may be Chinese); built only for the types that look at them.
        switch type {
        case .password: return "******"
        case .faceImage: return "[image]"
        case .appList:
            let names = value.split(separator: ",")
            return "\(names.count) package names" + (names.first.map { " (\($0), …)" } ?? "")
        case .coordinates:
            return value.split(separator: ",").map { part -> String in
                let p = Array(part)
                guard let dot = p.firstIndex(of: ".") else { return String(p) }
                let end = min(p.count, dot + 2)
                return String(p[0..<end]) + "***"
            }.joined(separator: ",")
        default: break
        }
        let c = Array(value)
        switch type {
        case .phoneCN: return keep(c, first: 3, last: 4)
        case .residentIDCN: return keep(c, first: 6, last: 4)
        case .imei, .meid, .imsi: return keep(c, first: 4, last: 3)
        case .iccid: return keep(c, first: 6, last: 4)
        case .bankCard:
            guard c.count >= 12 else { return String(repeating: "*", count: c.count) }
            return String(c[0..<4]) + " **** **** " + String(c[(c.count - 4)...])
        case .email:
            guard let at = c.firstIndex(of: "@"), at > 0 else { return "***" }
            return String(c[0]) + "***" + String(c[at...])
        case .mac, .bssid:
            guard c.count == 17 else { return short(c) }
            return String(c[0..<8]) + ":**:**:**"
        case .androidID, .oaid, .idfa, .idfv, .serial, .authToken: return short(c)
        case .password, .faceImage, .appList, .coordinates: return ""  // handled before the characters are built
        case .personName: return c.isEmpty ? "*" : String(c[0]) + String(repeating: "*", count: max(1, c.count - 1))
        case .address: return c.count > 6 ? String(c[0..<6]) + "****" : String(repeating: "*", count: c.count)
        case .birthDate: return c.count >= 4 ? String(c[0..<4]) + "-**-**" : "****"
        case .gender: return "*"
        case .contactList: return "\(value) contacts"
        case .basicAuth:
            guard let colon = c.firstIndex(of: ":") else { return "******" }
            let user = String(c[0..<colon])
            return (user.contains("@") ? mask(.email, user) : keep(Array(user), first: 1, last: 0)) + ":******"
        case .ssid:
            guard c.count > 2 else { return "**" }
            return String(c[0]) + "***" + String(c[c.count - 1])
        }
    }

    /// Length-preserving: 153****2212, 110105********123X.
    static func keep(_ c: [Character], first: Int, last: Int) -> String {
        guard c.count > first + last else { return String(repeating: "*", count: c.count) }
        return String(c[0..<first]) + String(repeating: "*", count: c.count - first - last) + String(c[(c.count - last)...])
    }

    /// For long opaque identifiers the length itself does not matter: abcd****wxyz.
    static func short(_ c: [Character]) -> String {
        guard c.count > 10 else { return String(repeating: "*", count: max(c.count, 4)) }
        return String(c[0..<4]) + "****" + String(c[(c.count - 4)...])
    }
}
