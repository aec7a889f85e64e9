import AuthCore
import Foundation

struct InMemoryPersonalAccessTokenRepository: PersonalAccessTokenRepository {
    let context: InMemoryContext

    func create(_ token: PersonalAccessToken, hash: String) async throws {
        try await context.write { s in
            guard s.users[token.userID] != nil else {
                throw InMemoryStoreError.missingReference("personal_access_tokens.user_id")
            }
            guard s.personalTokens[token.id] == nil, s.personalTokenIDsByHash[hash] == nil else {
                throw InMemoryStoreError.duplicateKey("personal_access_tokens.token_hash")
            }
            var stored = token
            stored.permissions.sort()
            s.personalTokens[token.id] = stored
            s.personalTokenIDsByHash[hash] = token.id
        }
    }

    func list(userID: UUID) async throws -> [PersonalAccessToken] {
        try context.read { s in
            s.personalTokens.values.filter { $0.userID == userID && $0.revokedAt == nil }
                .sorted { $0.createdAt != $1.createdAt ? $0.createdAt > $1.createdAt : uuidPrecedes($1.id, $0.id) }
        }
    }

    /// Transactions take turns here already.
    func lockOwner(userID: UUID) async throws {}

    func countUsable(userID: UUID, at now: Date) async throws -> Int {
        try context.read { s in s.personalTokens.values.filter { $0.userID == userID && $0.isUsable(at: now) }.count }
    }

    func find(id: UUID) async throws -> PersonalAccessToken? {
        try context.read { $0.personalTokens[id] }
    }

    func state(hash: String) async throws -> PersonalTokenState? {
        try context.read { s in
            guard let id = s.personalTokenIDsByHash[hash], let token = s.personalTokens[id],
                let user = s.users[token.userID]
            else { return nil }
            return PersonalTokenState(
                token: token,
                email: user.email,
                userActive: user.isActive,
                roles: s.roleNames(of: user.id),
                userPermissions: s.permissions(of: user.id, stepUp: false)
            )
        }
    }

    func revoke(id: UUID, at: Date) async throws -> Bool {
        try await context.write { s in
            guard s.personalTokens[id]?.revokedAt == nil, s.personalTokens[id] != nil else { return false }
            s.personalTokens[id]?.revokedAt = at
            return true
        }
    }

    func recordUse(id: UUID, at: Date, ip: String?, unlessUsedAfter notBefore: Date) async throws {
        try await context.write { s in
            guard let token = s.personalTokens[id] else { return }
            if let last = token.lastUsedAt, last > notBefore { return }
            s.personalTokens[id]?.lastUsedAt = at
            s.personalTokens[id]?.lastUsedIP = ip
        }
    }

    func deleteEnded(before: Date) async throws -> Int {
        try await context.write { s in
            let ended = s.personalTokens.values.filter { token in
                (token.revokedAt.map { $0 < before } ?? false) || (token.expiresAt.map { $0 < before } ?? false)
            }.map(\.id)
            for id in ended { s.deletePersonalToken(id: id) }
            return ended.count
        }
    }
}
