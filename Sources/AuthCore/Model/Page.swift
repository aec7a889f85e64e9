import Foundation

public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var page: Int
    public var perPage: Int
    public var total: Int
    /// `total` is the database's estimate, not a count (past `Page.exactTotalLimit` matches, on PostgreSQL); nil for
    /// lists that always count.
    public var totalIsEstimate: Bool?
    public init(items: [Item], page: Int, perPage: Int, total: Int, totalIsEstimate: Bool? = nil) {
        self.items = items
        self.page = page
        self.perPage = perPage
        self.total = total
        self.totalIsEstimate = totalIsEstimate
    }
}

extension Page {
    /// Up to this many matches, `GET /admin/users` counts them exactly; past it (on PostgreSQL) the total is the query
    /// planner's estimate, flagged `total_is_estimate`: an exact `COUNT(*)` of a million rows takes seconds.
    public static var exactTotalLimit: Int { 10_000 }
}
