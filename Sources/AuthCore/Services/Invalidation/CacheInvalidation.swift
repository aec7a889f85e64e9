import Foundation
import Synchronization

/// What another instance must forget: one session, every session of a user, a user's profile (what `GET /auth/me`
/// shows), a service client, a personal access token, or everything (a role's permissions changed). `.user` implies
/// `.profile`.
public enum CacheInvalidation: Sendable, Equatable {
    case session(UUID)
    case user(UUID)
    case profile(UUID)
    case serviceClient(String)
    case personalToken(UUID)
    case all

    /// The text sent between instances (a PostgreSQL NOTIFY payload).
    public var payload: String {
        switch self {
        case .session(let id): "session:" + id.uuidString.lowercased()
        case .user(let id): "user:" + id.uuidString.lowercased()
        case .profile(let id): "profile:" + id.uuidString.lowercased()
        case .serviceClient(let id): "client:" + id
        case .personalToken(let id): "pat:" + id.uuidString.lowercased()
        case .all: "all"
        }
    }

    public init?(payload: String) {
        if payload == "all" {
            self = .all
            return
        }
        guard let colon = payload.firstIndex(of: ":") else { return nil }
        let value = String(payload[payload.index(after: colon)...])
        switch payload[..<colon] {
        case "session":
            guard let id = UUID(parsing: value) else { return nil }
            self = .session(id)
        case "user":
            guard let id = UUID(parsing: value) else { return nil }
            self = .user(id)
        case "profile":
            guard let id = UUID(parsing: value) else { return nil }
            self = .profile(id)
        case "client" where !value.isEmpty: self = .serviceClient(value)
        case "pat":
            guard let id = UUID(parsing: value) else { return nil }
            self = .personalToken(id)
        default: return nil
        }
    }
}
