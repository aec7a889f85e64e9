import Hummingbird

/// `{"items": [...]}`.
struct ItemsResponse<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    let items: [Item]
}
