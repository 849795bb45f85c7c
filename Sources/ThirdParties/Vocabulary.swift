import Facts
import Foundation
import Yams

/// How published sharing lists word things (`Policies/declared-list-vocabulary.yaml`):
/// column headings, PI words, umbrella categories, words for data no detector
/// can see, sharing methods and vendors' legal names.
public struct Vocabulary: Sendable {
    /// Canonical field (`sdk_name`, `company`, `pi_types`, …) by normalised heading.
    public private(set) var columns: [String: String] = [:]
    /// PI word (normalised) → wirecheck types, and the longest word length, for longest-match-first.
    private var words: [String: Set<PIType>] = [:]
    private var categoryWords: [String: String] = [:]
    private var notDetected: Set<String> = []
    public private(set) var categories: [String: Set<PIType>] = [:]
    /// Vendor (catalogue spelling) → legal names as lists print them.
    public private(set) var vendors: [String: [String]] = [:]
    public private(set) var serverSideMethods: [String] = []

    /// What a list's PI cell declares.
    public struct Reading: Sendable, Equatable {
        public var types: Set<PIType> = []
        /// Words naming data no detector sees (设备型号, IP地址…): neither covering nor contradicting a finding.
        public var notDetected: [String] = []
        /// Words the vocabulary does not know: reported, never guessed.
        public var unknown: [String] = []
    }

    public static func builtIn() throws(CatalogError) -> Vocabulary {
        guard let url = Bundle.module.url(forResource: "declared-list-vocabulary", withExtension: "yaml", subdirectory: "Data"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw CatalogError(file: "declared-list-vocabulary.yaml", line: nil, message: "the built-in vocabulary is missing from the bundle")
        }
        return try parse(text, file: "Policies/declared-list-vocabulary.yaml")
    }

    public static func parse(_ text: String, file: String) throws(CatalogError) -> Vocabulary {
        let root: Node?
        do { root = try Yams.compose(yaml: text, .basic) } catch {
            throw CatalogError(file: file, line: (error as? YamlError).flatMap(SDKCatalog.line(of:)), message: "not YAML: \(error)")
        }
        guard let mapping = root?.mapping else { throw CatalogError(file: file, line: nil, message: "expected a mapping") }
        var vocabulary = Vocabulary()
        for (key, value) in mapping["columns"]?.mapping ?? [:] {
            guard let canonical = key.string else { continue }
            for heading in value.sequence ?? [] {
                if let heading = heading.string { vocabulary.columns[normalise(heading)] = canonical }
            }
        }
        for (key, value) in mapping["categories"]?.mapping ?? [:] {
            guard let name = key.string else { continue }
            vocabulary.categories[name] = Set((value.sequence ?? []).compactMap { $0.string.flatMap(PIType.init(rawValue:)) })
        }
        for (key, value) in mapping["pi_words"]?.mapping ?? [:] {
            guard let word = key.string else { continue }
            var types = Set<PIType>()
            for item in value.sequence ?? [] {
                guard let text = item.string else { continue }
                if text.hasPrefix("category:") {
                    let category = String(text.dropFirst("category:".count))
                    guard vocabulary.categories[category] != nil else {
                        throw CatalogError(file: file, line: item.mark?.line, message: "pi word \(word): unknown category \(category)")
                    }
                    vocabulary.categoryWords[normalise(word)] = category
                } else if let type = PIType(rawValue: text) {
                    types.insert(type)
                }
                // Types the detectors do not have yet stay unmapped: the word still counts as known.
            }
            vocabulary.words[normalise(word)] = types
        }
        for item in mapping["not_detected"]?.sequence ?? [] {
            if let word = item.string { vocabulary.notDetected.insert(normalise(word)) }
        }
        for (key, value) in mapping["vendors"]?.mapping ?? [:] {
            guard let vendor = key.string else { continue }
            vocabulary.vendors[vendor] = (value.sequence ?? []).compactMap(\.string)
        }
        vocabulary.serverSideMethods = (mapping["methods"]?.mapping?["server_side"]?.sequence ?? []).compactMap(\.string)
        return vocabulary
    }

    /// Full-width punctuation to ASCII, spaces dropped, Latin letters lower-cased:
    /// headings and words compare equal however a list typed them.
    public static func normalise(_ text: String) -> String {
        var out = ""
        for scalar in text.precomposedStringWithCompatibilityMapping.unicodeScalars {
            if scalar.properties.isWhitespace || scalar == "\u{200B}" || scalar == "\u{FEFF}" { continue }
            out.unicodeScalars.append(scalar)
        }
        return out.lowercased()
    }

    /// The canonical field a heading names, if any.
    public func field(forHeading heading: String) -> String? {
        columns[Self.normalise(heading)]
    }

    /// Reads a PI cell such as `设备信息（IMEI、OAID、MAC地址）、位置信息（经纬度）、网络信息`.
    /// Words inside brackets say what the umbrella word before them means, so
    /// they, not the whole category, are what the list declares.
    public func read(_ cell: String) -> Reading {
        var reading = Reading()
        for item in Self.split(cell) {
            if item.inner.isEmpty {
                classify(item.head, into: &reading, expandCategory: true)
            } else {
                let before = reading.types
                for word in item.inner { classify(word, into: &reading, expandCategory: true) }
                // An umbrella whose brackets name only undetectable data declares nothing detectable.
                if reading.types == before, categoryWords[Self.normalise(item.head)] == nil {
                    classify(item.head, into: &reading, expandCategory: false)
                }
            }
        }
        return reading
    }

    private func classify(_ raw: String, into reading: inout Reading, expandCategory: Bool) {
        let word = Self.normalise(raw)
        guard !word.isEmpty else { return }
        if let types = words[word] {
            reading.types.formUnion(types)
            if let category = categoryWords[word], expandCategory { reading.types.formUnion(categories[category] ?? []) }
            return
        }
        if notDetected.contains(word) {
            reading.notDetected.append(raw)
            return
        }
        // A word that contains a known word (`设备MAC地址`, `精确位置信息`): the longest such word.
        if let best = words.keys.filter({ word.contains($0) && $0.count >= 2 }).max(by: { $0.count < $1.count }) {
            reading.types.formUnion(words[best] ?? [])
            if let category = categoryWords[best], expandCategory { reading.types.formUnion(categories[category] ?? []) }
            return
        }
        if notDetected.contains(where: { word.contains($0) && $0.count >= 2 }) {
            reading.notDetected.append(raw)
            return
        }
        reading.unknown.append(raw)
    }

    /// Splits a cell into top-level items, each with the words its brackets
    /// (or a colon) hold: `设备信息（IMEI、OAID）、位置信息` → (设备信息: IMEI, OAID), (位置信息).
    static func split(_ cell: String) -> [(head: String, inner: [String])] {
        let soft: Set<Character> = ["、", "，", ",", "/", "／", "及", "和", "与", "等"]
        let hard: Set<Character> = ["；", ";", "\n", "|", "。"]
        let opening: Set<Character> = ["(", "（", "[", "【", "《"]
        let closing: Set<Character> = [")", "）", "]", "】", "》"]
        var items: [(head: String, inner: [String])] = []
        var head = ""
        var inner: [String] = []
        var word = ""
        var depth = 0
        var afterColon = false
        func endWord() {
            let trimmed = word.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { inner.append(trimmed) }
            word = ""
        }
        func endItem() {
            endWord()
            let trimmed = head.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty || !inner.isEmpty { items.append((trimmed, inner)) }
            head = ""
            inner = []
            depth = 0
            afterColon = false
        }
        for character in cell {
            if opening.contains(character) {
                if depth == 0 && !afterColon { endWord() }
                depth += 1
            } else if closing.contains(character) {
                if depth > 0 {
                    depth -= 1
                    endWord()
                }
            } else if hard.contains(character) {
                endItem()
            } else if character == ":" || character == "：" {
                if depth == 0 && !afterColon { afterColon = true } else { word.append(character) }
            } else if soft.contains(character) {
                if depth > 0 || afterColon { endWord() } else { endItem() }
            } else if depth > 0 || afterColon {
                word.append(character)
            } else {
                head.append(character)
            }
        }
        endItem()
        return items
    }
}
