import Flows

/// When open flows go idle, without walking every flow on every sweep. Each
/// flow sits in the queue of its timeout class (UDP, open TCP, closed TCP)
/// stamped with its last activity when it joined. A sweep pops only heads
/// whose stamp is old enough: a flow idle since its stamp expires; one active
/// since goes to the back with its new last activity. A flow is re-queued at
/// most once per timeout, so a sweep costs what it expires, not what is held.
struct FlowExpiry {
    enum Class: Int, CaseIterable {
        case udp, openTCP, closedTCP
    }

    struct Entry {
        var key: FlowKey
        var flow: Int
        var stamp: Int64
    }

    /// A FIFO over an array: popping advances `head`; the dead prefix is dropped once it is half the array.
    struct Queue {
        private var entries: [Entry] = []
        private var head = 0

        var first: Entry? { head < entries.count ? entries[head] : nil }
        var isEmpty: Bool { head >= entries.count }

        mutating func append(_ entry: Entry) { entries.append(entry) }

        mutating func popFirst() -> Entry? {
            guard head < entries.count else { return nil }
            let entry = entries[head]
            head += 1
            if head >= 4096 && head * 2 >= entries.count {
                entries.removeFirst(head)
                head = 0
            }
            return entry
        }

        mutating func removeAll() {
            entries.removeAll()
            head = 0
        }
    }

    private(set) var queues = [Queue](repeating: Queue(), count: Class.allCases.count)

    mutating func enqueue(_ key: FlowKey, flow: Int, stamp: Int64, in kind: Class) {
        queues[kind.rawValue].append(Entry(key: key, flow: flow, stamp: stamp))
    }

    /// The head of the queue whose head is oldest, for evicting the least recently active.
    func oldestClass() -> Class? {
        var best: (Class, Int64)?
        for kind in Class.allCases {
            guard let head = queues[kind.rawValue].first else { continue }
            if best == nil || head.stamp < best!.1 { best = (kind, head.stamp) }
        }
        return best?.0
    }

    mutating func head(of kind: Class) -> Entry? { queues[kind.rawValue].first }

    mutating func pop(_ kind: Class) -> Entry? { queues[kind.rawValue].popFirst() }

    mutating func removeAll() {
        for index in queues.indices { queues[index].removeAll() }
    }
}
