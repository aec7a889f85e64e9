import Foundation
import Testing

@testable import AuthCore

@Suite struct ClockCacheTests {
    @Test func holdsAtMostItsCapacityAndEvictsOneAtATime() {
        let cache = ClockCache<Int, Int>(capacity: 1_000, shards: 1)
        for key in 0..<1_000 { cache.set(key, key) }
        #expect(cache.count == 1_000)
        // Past capacity, each insert evicts one entry: the cache never empties itself.
        for key in 1_000..<1_500 {
            cache.set(key, key)
            #expect(cache.count == 1_000)
        }
        #expect((1_000..<1_500).allSatisfy { cache.value(for: $0) == $0 })
        // Sharded, each shard holds its part of the capacity.
        let sharded = ClockCache<Int, Int>(capacity: 1_000, shards: 8)
        for key in 0..<10_000 { sharded.set(key, key) }
        #expect(sharded.count <= 1_000 && sharded.count > 900)
    }

    @Test func entriesUsedSinceTheLastSweepSurviveAScanOfNewOnes() {
        let cache = ClockCache<Int, Int>(capacity: 100, shards: 1)
        for key in 0..<100 { cache.set(key, key) }
        let hot = Array(0..<20)
        for round in 0..<10 {
            for key in hot { _ = cache.value(for: key) }
            // A scan of cold keys, each seen once.
            for key in 0..<30 { cache.set(10_000 + round * 100 + key, key) }
        }
        #expect(hot.allSatisfy { cache.value(for: $0) == $0 })
        #expect(cache.count == 100)
    }

    @Test func removedSlotsAreReusedAndEntriesCanBeChangedInPlace() {
        let cache = ClockCache<String, Int>(capacity: 8, shards: 1)
        for key in 0..<8 { cache.set("k\(key)", key) }
        #expect(cache.remove("k3") == 3)
        #expect(cache.value(for: "k3") == nil)
        cache.set("new", 42)
        #expect(cache.count == 8 && (0..<8).filter { $0 != 3 }.allSatisfy { cache.value(for: "k\($0)") == $0 })
        let doubled = cache.withEntry("new") { value -> Int in
            value = value.map { $0 * 2 }
            return value ?? 0
        }
        #expect(doubled == 84 && cache.value(for: "new") == 84)
        cache.withEntry("new") { $0 = nil }
        #expect(cache.value(for: "new") == nil && cache.count == 7)
        cache.removeAll()
        #expect(cache.count == 0 && cache.value(for: "k1") == nil)
    }

    @Test func concurrentUseKeepsTheBound() async {
        let cache = ClockCache<Int, Int>(capacity: 512, shards: 8)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for i in 0..<5_000 {
                        let key = worker * 100_000 + i
                        cache.set(key, key)
                        if let value = cache.value(for: key - 1) { #expect(value == key - 1) }
                        if i % 7 == 0 { cache.remove(key - 3) }
                    }
                }
            }
        }
        #expect(cache.count <= 512)
    }

    @Test func theBudgetSharesMemoryByWhatAnEntryCosts() {
        let budget = CacheBudget(megabytes: 256)
        #expect(budget.sessionStates * SessionStateCache.bytesPerEntry <= 256 * 1_048_576)
        #expect(budget.verifiedTokens >= budget.sessionStates)
        #expect(CacheBudget(megabytes: 1).sessionStates >= 64)
    }
}
