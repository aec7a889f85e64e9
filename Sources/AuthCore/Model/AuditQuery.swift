import Foundation

public struct AuditQuery: Sendable, Equatable {
    public var page = 1
    public var perPage = 20
    public var userID: UUID?
    public var action: String?
    public var outcome: AuditEvent.Outcome?
    public var since: Date?
    public var until: Date?
    public init() {}
}
