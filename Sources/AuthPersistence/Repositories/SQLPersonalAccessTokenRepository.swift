import AuthCore
import Foundation
import SQLKit

/// Personal access tokens (`personal_access_tokens`).
struct SQLPersonalAccessTokenRepository: PersonalAccessTokenRepository {
    let sql: StoreDatabase

    struct Row: Codable {
        var id: UUID
        var user_id: UUID
        var name: String
        var token_hash: String
        var permissions: JSONColumn<[String]>
        var created_at: Date
        var expires_at: Date?
        var last_used_at: Date?
        var last_used_ip: String?
        var revoked_at: Date?

        var token: PersonalAccessToken {
            PersonalAccessToken(
                id: id,
                userID: user_id,
                name: name,
                permissions: permissions.value.sorted(),
                createdAt: created_at,
                expiresAt: expires_at,
                lastUsedAt: last_used_at,
                lastUsedIP: last_used_ip,
                revokedAt: revoked_at
            )
        }
    }

    func create(_ token: PersonalAccessToken, hash: String) async throws {
        let row = Row(
            id: token.id,
            user_id: token.userID,
            name: token.name,
            token_hash: hash,
            permissions: JSONColumn(token.permissions.sorted()),
            created_at: token.createdAt,
            expires_at: token.expiresAt,
            last_used_at: token.lastUsedAt,
            last_used_ip: token.lastUsedIP,
            revoked_at: token.revokedAt
        )
        try await sql.insert(into: "personal_access_tokens").model(row, nilEncodingStrategy: .asNil).run()
    }

    func list(userID: UUID) async throws -> [PersonalAccessToken] {
        try await sql.raw(
            """
            SELECT * FROM personal_access_tokens WHERE user_id = \(bind: userID) AND revoked_at IS NULL
            ORDER BY created_at DESC, id DESC
            """
        ).all(decoding: Row.self).map(\.token)
    }

    func lockOwner(userID: UUID) async throws {
        guard sql.isPostgres else { return }
        try await sql.raw("SELECT id FROM users WHERE id = \(bind: userID) FOR UPDATE").run()
    }

    func countUsable(userID: UUID, at now: Date) async throws -> Int {
        try await sql.count(
            """
            SELECT COUNT(*) AS count FROM personal_access_tokens WHERE user_id = \(bind: userID) AND revoked_at IS NULL
              AND (expires_at IS NULL OR expires_at > \(bind: now))
            """
        )
    }

    func find(id: UUID) async throws -> PersonalAccessToken? {
        try await sql.raw("SELECT * FROM personal_access_tokens WHERE id = \(bind: id)").first(decoding: Row.self)?
            .token
    }

    func state(hash: String) async throws -> PersonalTokenState? {
        // One indexed lookup: the token, its user and the user's roles.
        let rows = try await sql.raw(
            "SELECT owned.*, " + OwnerRoleColumns.selectList + " FROM personal_access_tokens owned "
                + OwnerRoleColumns.joins + " WHERE owned.token_hash = \(bind: hash)"
        ).all().map { try $0.decodeWithOwner(Row.self) }
        guard let (row, owner) = rows.first else { return nil }
        let owners = rows.map(\.1)
        return PersonalTokenState(
            token: row.token,
            email: owner.email,
            userActive: owner.is_active,
            roles: owners.roleNames,
            // A token is aal 1: roles that need a second factor give it nothing.
            userPermissions: owners.permissions(stepUp: false)
        )
    }

    func revoke(id: UUID, at: Date) async throws -> Bool {
        try await !sql.raw(
            """
            UPDATE personal_access_tokens SET revoked_at = \(bind: at)
            WHERE id = \(bind: id) AND revoked_at IS NULL RETURNING id
            """
        ).all().isEmpty
    }

    func recordUse(id: UUID, at: Date, ip: String?, unlessUsedAfter notBefore: Date) async throws {
        try await sql.raw(
            """
            UPDATE personal_access_tokens SET last_used_at = \(bind: at), last_used_ip = \(bind: ip)
            WHERE id = \(bind: id) AND (last_used_at IS NULL OR last_used_at <= \(bind: notBefore))
            """
        ).run()
    }

    func deleteEnded(before: Date) async throws -> Int {
        try await sql.raw(
            """
            DELETE FROM personal_access_tokens WHERE revoked_at < \(bind: before) OR expires_at < \(bind: before)
            RETURNING id
            """
        ).all().count
    }
}
