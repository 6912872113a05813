/// Identifies a scheduled timer so it can be cancelled.
package struct TimerID: Hashable, Sendable {
    /// Unique within one loop.
    package let rawValue: UInt64
}

/// An indexed binary min-heap of timers: O(log n) insert, pop and cancel.
///
/// Timers with equal deadlines fire in scheduling order. Cancellation removes the entry at once (no lazy
/// tombstones), so re-arming a per-connection idle timer on every request does not grow the heap.
package struct TimerHeap<Payload> {
    private struct Entry {
        let deadline: Deadline
        let id: TimerID
        let payload: Payload

        func fires(before other: Entry) -> Bool {
            deadline != other.deadline ? deadline < other.deadline : id.rawValue < other.id.rawValue
        }
    }

    private var entries: [Entry] = []
    private var positions: [TimerID: Int] = [:]
    private var nextID: UInt64 = 1

    /// An empty heap.
    package init() {}

    /// The number of scheduled timers.
    package var count: Int { entries.count }

    /// Whether no timer is scheduled.
    package var isEmpty: Bool { entries.isEmpty }

    /// The earliest deadline, if any.
    package var earliestDeadline: Deadline? { entries.first?.deadline }

    /// Schedules `payload` for `deadline`.
    @discardableResult
    package mutating func insert(deadline: Deadline, payload: Payload) -> TimerID {
        let id = TimerID(rawValue: nextID)
        nextID += 1
        entries.append(Entry(deadline: deadline, id: id, payload: payload))
        positions[id] = entries.count - 1
        siftUp(entries.count - 1)
        return id
    }

    /// Removes a timer; returns its payload, or `nil` when it already fired or was cancelled.
    @discardableResult
    package mutating func remove(_ id: TimerID) -> Payload? {
        guard let index = positions[id] else {
            return nil
        }
        return removeEntry(at: index).payload
    }

    /// Removes and returns the earliest timer if its deadline is at or before `now`.
    package mutating func popExpired(now: Deadline) -> (id: TimerID, payload: Payload)? {
        guard let first = entries.first, first.deadline <= now else {
            return nil
        }
        let entry = removeEntry(at: 0)
        return (entry.id, entry.payload)
    }

    /// Removes every timer.
    package mutating func removeAll() {
        entries.removeAll()
        positions.removeAll()
    }

    // MARK: - Heap maintenance

    private mutating func removeEntry(at index: Int) -> Entry {
        let removed = entries[index]
        positions[removed.id] = nil
        let last = entries.count - 1
        if index != last {
            entries.swapAt(index, last)
            positions[entries[index].id] = index
        }
        entries.removeLast()
        if index < entries.count {
            siftDown(index)
            siftUp(index)
        }
        return removed
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].fires(before: entries[parent]) else { return }
            swapEntries(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count, entries[left].fires(before: entries[smallest]) { smallest = left }
            if right < entries.count, entries[right].fires(before: entries[smallest]) { smallest = right }
            if smallest == parent { return }
            swapEntries(parent, smallest)
            parent = smallest
        }
    }

    private mutating func swapEntries(_ first: Int, _ second: Int) {
        entries.swapAt(first, second)
        positions[entries[first].id] = first
        positions[entries[second].id] = second
    }
}
