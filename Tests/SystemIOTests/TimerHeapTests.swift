import Testing

@testable import SystemIO

@Suite struct TimerHeapTests {
    private func deadline(_ nanoseconds: UInt64) -> Deadline {
        Deadline(uptimeNanoseconds: nanoseconds)
    }

    private func drain(_ heap: inout TimerHeap<String>, now: UInt64) -> [String] {
        var fired: [String] = []
        while let (_, payload) = heap.popExpired(now: deadline(now)) {
            fired.append(payload)
        }
        return fired
    }

    @Test func popsInDeadlineOrderAndFIFOForTies() {
        var heap = TimerHeap<String>()
        for (time, name) in [(50, "e"), (10, "a"), (30, "c"), (10, "b"), (40, "d"), (30, "c2")] {
            heap.insert(deadline: deadline(UInt64(time)), payload: name)
        }
        #expect(heap.earliestDeadline == deadline(10))
        #expect(drain(&heap, now: 35) == ["a", "b", "c", "c2"])
        #expect(heap.count == 2)
        #expect(drain(&heap, now: 100) == ["d", "e"])
        #expect(heap.isEmpty)
    }

    @Test func cancellationRemovesImmediately() {
        var heap = TimerHeap<String>()
        var ids: [TimerID] = []
        for index in 0..<100 {
            ids.append(heap.insert(deadline: deadline(UInt64(1000 - index)), payload: "t\(index)"))
        }
        for index in stride(from: 0, to: 100, by: 2) {
            #expect(heap.remove(ids[index]) == "t\(index)")
        }
        #expect(heap.count == 50)
        #expect(heap.remove(ids[0]) == nil)
        let fired = drain(&heap, now: 10_000)
        #expect(fired == stride(from: 99, to: 0, by: -2).map { "t\($0)" })
    }

    @Test func rearmingDoesNotGrowTheHeap() {
        var heap = TimerHeap<Int>()
        var id = heap.insert(deadline: deadline(10), payload: 0)
        for round in 1...10_000 {
            heap.remove(id)
            id = heap.insert(deadline: deadline(UInt64(10 + round)), payload: round)
        }
        #expect(heap.count == 1)
        #expect(heap.popExpired(now: deadline(9)) == nil)
        #expect(heap.popExpired(now: deadline(20_000))?.payload == 10_000)
    }
}
