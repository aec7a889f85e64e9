import Foundation

public struct AuditEvent: Sendable, Equatable {
    public enum Outcome: String, Sendable, Codable, CaseIterable { case success, failure }
    public var id: UUID
    public var occurredAt: Date
    public var action: String
    public var outcome: Outcome
    public var actorID: UUID?
    public var userID: UUID?
    public var ip: String?
    public var userAgent: String?
    public var requestID: String?
    public var details: [String: String]
    public init(
        id: UUID = UUID(),
        occurredAt: Date,
        action: String,
        outcome: Outcome,
        actorID: UUID? = nil,
        userID: UUID? = nil,
        ip: String? = nil,
        userAgent: String? = nil,
        requestID: String? = nil,
        details: [String: String] = [:]
    ) {
        self.id = id
        self.occurredAt = occurredAt
        self.action = action
        self.outcome = outcome
        self.actorID = actorID
        self.userID = userID
        self.ip = ip
        self.userAgent = userAgent
        self.requestID = requestID
        self.details = details
    }
}
