/// `AUTH_CACHE_MEMORY_MB` shared out: how many entries each cache may hold, from what an entry costs (measured by
/// `bench/run --sessions N`: the server's RSS over the entries it cached; `docs/operations.md`, "Memory").
public struct CacheBudget: Sendable, Equatable {
    public var sessionStates: Int
    public var verifiedTokens: Int
    public var profiles: Int
    public var personalTokens: Int

    public init(megabytes: Int) {
        let bytes = Double(megabytes) * 1_048_576
        func entries(_ share: Double, _ perEntry: Int) -> Int { max(64, Int(bytes * share) / perEntry) }
        sessionStates = entries(0.55, SessionStateCache.bytesPerEntry)
        verifiedTokens = entries(0.25, AccessTokenService.bytesPerVerifiedToken)
        profiles = entries(0.10, ProfileCache.bytesPerEntry)
        personalTokens = entries(0.10, PersonalTokenCache.bytesPerEntry)
    }
}

/// One bounded cache as `/metrics` shows it.
public struct CacheGauge: Sendable {
    public let name: String
    public let capacity: Int
    public let count: @Sendable () -> Int

    public init(name: String, capacity: Int, count: @escaping @Sendable () -> Int) {
        self.name = name
        self.capacity = capacity
        self.count = count
    }
}
