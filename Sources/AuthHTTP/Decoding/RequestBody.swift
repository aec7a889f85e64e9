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
    /// Members whose U+0000 the service answers itself (login: as a wrong email or password); in every other
    /// string, anywhere in the body, U+0000 is refused with 422 `invalid_characters` before any query.
    static var membersAllowingNUL: Set<String> { get }
}

extension RequestBody {
    static var maxCounts: [String: Int] { [:] }
    static var refusesUnknownMembers: Bool { true }
    static var membersAllowingNUL: Set<String> { [] }
}
