import Foundation

public struct UserQuery: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable {
        case createdAt = "created_at"
        case createdAtDesc = "-created_at"
        case email = "email"
        case emailDesc = "-email"
        case lastLoginAt = "last_login_at"
        case lastLoginAtDesc = "-last_login_at"
    }
    public var page = 1
    public var perPage = 20
    public var search: String?
    public var role: String?
    public var isActive: Bool?
    public var isVerified: Bool?
    public var createdAfter: Date?
    public var createdBefore: Date?
    public var sort: Sort = .createdAt
    public init() {}
}
