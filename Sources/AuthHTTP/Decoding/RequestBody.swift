import AuthCore

/// A JSON request body. Decoded by `StrictRequestDecoder`, which answers 422 with every invalid field at once.
protocol RequestBody: Decodable, Sendable {
    /// The most characters (Unicode code points) each string member may hold; members not listed take
    /// `FieldLimits.arrayItem` inside arrays and no limit of their own otherwise.
    static var maxLengths: [String: Int] { get }
    /// The most items each array member may hold (default 200).
    static var maxCounts: [String: Int] { get }
    /// Whether members the type does not read are refused (422 `not_allowed`) rather than ignored.
    static var refusesUnknownMembers: Bool { get }
}

extension RequestBody {
    static var maxCounts: [String: Int] { [:] }
    static var refusesUnknownMembers: Bool { true }
}
