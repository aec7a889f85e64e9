import AuthCore
import Hummingbird

/// One page of a list with its position and the total.
struct PageResponse<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    let items: [Item]
    let page: Int
    let perPage: Int
    let total: Int
    /// Only in lists whose total may be an estimate (`GET /admin/users`).
    let totalIsEstimate: Bool?

    enum CodingKeys: String, CodingKey {
        case items, page, total
        case perPage = "per_page"
        case totalIsEstimate = "total_is_estimate"
    }

    init<Value>(_ page: Page<Value>, _ transform: (Value) -> Item) {
        items = page.items.map(transform)
        self.page = page.page
        perPage = page.perPage
        total = page.total
        totalIsEstimate = page.totalIsEstimate
    }
}
