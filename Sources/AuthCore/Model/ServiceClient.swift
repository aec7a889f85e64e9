import Foundation

public struct ServiceClient: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var clientID: String
    public var secretHash: String
    public var createdAt: Date
    public init(id: UUID = UUID(), name: String, clientID: String, secretHash: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.clientID = clientID
        self.secretHash = secretHash
        self.createdAt = createdAt
    }
}
