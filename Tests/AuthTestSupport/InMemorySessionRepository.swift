import AuthCore
import Foundation

struct InMemorySessionRepository: SessionRepository {
    let context: InMemoryContext

    func create(_ session: Session, refreshTokenHash: String) async throws {
        try await context.write { s in
            guard s.users[session.userID] != nil else { throw InMemoryStoreError.missingReference("sessions.user_id") }
            guard s.sessions[session.id] == nil else { throw InMemoryStoreError.duplicateKey("sessions.id") }
            s.sessions[session.id] = session
            _ = try s.insertRefreshToken(sessionID: session.id, hash: refreshTokenHash, at: session.createdAt)
        }
    }

    func find(id: UUID) async throws -> Session? {
        try context.read { $0.sessions[id] }
    }

    /// Not revoked, not expired, used within `idleTimeout`; newest first.
    func list(userID: UUID, activeAt now: Date, idleTimeout: TimeInterval) async throws -> [Session] {
        try context.read { s in
            s.sessions.values.filter {
                $0.userID == userID && $0.revokedAt == nil && $0.expiresAt > now
                    && $0.lastUsedAt > now.addingTimeInterval(-idleTimeout)
            }.sorted { $0.createdAt != $1.createdAt ? $0.createdAt > $1.createdAt : uuidPrecedes($1.id, $0.id) }
        }
    }

    func countLive(at now: Date, idleTimeout: TimeInterval) async throws -> Int {
        try context.read { s in
            s.sessions.values.filter {
                $0.revokedAt == nil && $0.expiresAt > now && $0.lastUsedAt > now.addingTimeInterval(-idleTimeout)
            }.count
        }
    }

    /// False only when the session does not exist or is already revoked (an expired one is revoked, as in SQL).
    func revoke(id: UUID, reason: String, at: Date) async throws -> Bool {
        try await context.write { s in
            guard let session = s.sessions[id], session.revokedAt == nil else { return false }
            s.sessions[id]?.revokedAt = at
            s.sessions[id]?.revokeReason = reason
            return true
        }
    }

    func revokeAll(userID: UUID, except: UUID?, reason: String, at: Date) async throws -> [UUID] {
        try await context.write { s in
            let ids = s.sessions.values.filter { $0.userID == userID && $0.revokedAt == nil && $0.id != except }.map(
                \.id
            )
            for id in ids {
                s.sessions[id]?.revokedAt = at
                s.sessions[id]?.revokeReason = reason
            }
            return ids.sorted(by: uuidPrecedes)
        }
    }

    func findRefreshToken(hash: String) async throws -> RefreshTokenRecord? {
        try context.read { s in
            guard let id = s.refreshTokenIDsByHash[hash], let token = s.refreshTokens[id] else { return nil }
            // As the SQL LEFT JOIN: a successor that is not there counts as unused.
            let successorUnused = token.replacedBy.map { s.refreshTokens[$0]?.rotatedAt == nil } ?? false
            return RefreshTokenRecord(
                id: id,
                sessionID: token.sessionID,
                createdAt: token.createdAt,
                rotatedAt: token.rotatedAt,
                replacedBy: token.replacedBy,
                successorUnused: successorUnused
            )
        }
    }

    func rotateRefreshToken(
        hash: String,
        at: Date,
        successor: UUID,
        successorHash: String
    ) async throws
        -> RefreshTokenRotation?
    {
        try await context.write { s in
            guard let id = s.refreshTokenIDsByHash[hash], let token = s.refreshTokens[id], token.rotatedAt == nil,
                let lastUsedAt = s.sessions[token.sessionID]?.lastUsedAt
            else { return nil }
            _ = try s.insertRefreshToken(sessionID: token.sessionID, hash: successorHash, at: at, id: successor)
            s.refreshTokens[id]?.rotatedAt = at
            s.refreshTokens[id]?.replacedBy = successor
            s.sessions[token.sessionID]?.lastUsedAt = at
            let record = RefreshTokenRecord(
                id: id,
                sessionID: token.sessionID,
                createdAt: token.createdAt,
                rotatedAt: at,
                replacedBy: successor,
                successorUnused: true
            )
            return RefreshTokenRotation(token: record, sessionLastUsedAt: lastUsedAt)
        }
    }

    func state(sessionID: UUID) async throws -> SessionState? {
        try context.read { s in
            guard let session = s.sessions[sessionID], let user = s.users[session.userID] else { return nil }
            return SessionState(
                session: session,
                userID: user.id,
                email: user.email,
                userActive: user.isActive,
                roles: s.roleNames(of: user.id),
                permissions: s.permissions(of: user.id, stepUp: false),
                stepUpPermissions: s.permissions(of: user.id, stepUp: true)
            )
        }
    }

    func deleteExpired(before: Date) async throws -> Int {
        try await context.write { s in
            let expired = s.sessions.values.filter { $0.expiresAt < before }.map(\.id)
            for id in expired { s.deleteSession(id: id) }
            return expired.count
        }
    }
}
