import AuthCore
import Foundation
import SQLKit

/// TOTP enrolments (`user_totp`), recovery codes (`recovery_codes`) and login challenges (`mfa_challenges`). Every
/// use of a one-time secret is one conditional UPDATE, so two concurrent uses cannot both succeed.
struct SQLMFARepository: MFARepository {
    let sql: StoreDatabase

    struct TOTPRow: Codable {
        var user_id: UUID
        var secret: String
        var confirmed_at: Date?
        var last_used_step: Int64?
        var created_at: Date
        var enrolment: TOTPEnrolment {
            TOTPEnrolment(
                userID: user_id,
                secret: secret,
                confirmedAt: confirmed_at,
                lastUsedStep: last_used_step,
                createdAt: created_at
            )
        }
    }

    struct ChallengeRow: Codable {
        var id: UUID
        var user_id: UUID
        var token_hash: String
        var throttle_key: String
        var created_at: Date
        var expires_at: Date
        var attempts: Int
        var used_at: Date?
        var challenge: MFAChallenge {
            MFAChallenge(
                id: id,
                userID: user_id,
                throttleKey: throttle_key,
                createdAt: created_at,
                expiresAt: expires_at,
                attempts: attempts,
                usedAt: used_at
            )
        }
    }

    func totp(userID: UUID) async throws -> TOTPEnrolment? {
        try await sql.raw("SELECT * FROM user_totp WHERE user_id = \(bind: userID)").first(decoding: TOTPRow.self)?
            .enrolment
    }

    func allTOTP() async throws -> [TOTPEnrolment] {
        try await sql.raw("SELECT * FROM user_totp ORDER BY created_at").all(decoding: TOTPRow.self).map(\.enrolment)
    }

    func replaceTOTPSecret(userID: UUID, with secret: String) async throws {
        try await sql.raw("UPDATE user_totp SET secret = \(bind: secret) WHERE user_id = \(bind: userID)").run()
    }

    func saveTOTP(_ enrolment: TOTPEnrolment) async throws {
        try await sql.raw("DELETE FROM user_totp WHERE user_id = \(bind: enrolment.userID)").run()
        let row = TOTPRow(
            user_id: enrolment.userID,
            secret: enrolment.secret,
            confirmed_at: enrolment.confirmedAt,
            last_used_step: enrolment.lastUsedStep,
            created_at: enrolment.createdAt
        )
        try await sql.insert(into: "user_totp").model(row).run()
    }

    func confirmTOTP(userID: UUID, at: Date, step: Int64) async throws -> Bool {
        try await !sql.raw(
            """
            UPDATE user_totp SET confirmed_at = \(bind: at), last_used_step = \(bind: step)
            WHERE user_id = \(bind: userID) AND confirmed_at IS NULL RETURNING user_id
            """
        ).all().isEmpty
    }

    func useTOTPStep(userID: UUID, step: Int64) async throws -> Bool {
        try await !sql.raw(
            """
            UPDATE user_totp SET last_used_step = \(bind: step)
            WHERE user_id = \(bind: userID) AND confirmed_at IS NOT NULL
              AND (last_used_step IS NULL OR last_used_step < \(bind: step)) RETURNING user_id
            """
        ).all().isEmpty
    }

    func deleteTOTP(userID: UUID) async throws -> Bool {
        try await sql.raw("DELETE FROM recovery_codes WHERE user_id = \(bind: userID)").run()
        return try await !sql.raw("DELETE FROM user_totp WHERE user_id = \(bind: userID) RETURNING user_id").all()
            .isEmpty
    }

    func replaceRecoveryCodes(userID: UUID, hashes: [String], at: Date) async throws {
        try await sql.raw("DELETE FROM recovery_codes WHERE user_id = \(bind: userID)").run()
        for hash in hashes {
            try await sql.raw(
                """
                INSERT INTO recovery_codes (id, user_id, code_hash, created_at)
                VALUES (\(bind: UUID()), \(bind: userID), \(bind: hash), \(bind: at))
                """
            ).run()
        }
    }

    func useRecoveryCode(userID: UUID, hash: String, at: Date) async throws -> Bool {
        try await !sql.raw(
            """
            UPDATE recovery_codes SET used_at = \(bind: at)
            WHERE user_id = \(bind: userID) AND code_hash = \(bind: hash) AND used_at IS NULL RETURNING id
            """
        ).all().isEmpty
    }

    func unusedRecoveryCodes(userID: UUID) async throws -> Int {
        try await sql.count(
            "SELECT COUNT(*) AS count FROM recovery_codes WHERE user_id = \(bind: userID) AND used_at IS NULL"
        )
    }

    func createChallenge(_ challenge: MFAChallenge, hash: String) async throws {
        let row = ChallengeRow(
            id: challenge.id,
            user_id: challenge.userID,
            token_hash: hash,
            throttle_key: challenge.throttleKey,
            created_at: challenge.createdAt,
            expires_at: challenge.expiresAt,
            attempts: challenge.attempts,
            used_at: challenge.usedAt
        )
        try await sql.insert(into: "mfa_challenges").model(row).run()
    }

    func countChallengeTry(hash: String, now: Date) async throws -> MFAChallenge? {
        try await sql.raw(
            """
            UPDATE mfa_challenges SET attempts = attempts + 1
            WHERE token_hash = \(bind: hash) AND used_at IS NULL AND expires_at > \(bind: now)
              AND attempts < \(bind: MFAChallenge.maxAttempts)
            RETURNING *
            """
        ).first(decoding: ChallengeRow.self)?.challenge
    }

    func consumeChallenge(id: UUID, at: Date) async throws -> Bool {
        try await !sql.raw(
            "UPDATE mfa_challenges SET used_at = \(bind: at) WHERE id = \(bind: id) AND used_at IS NULL RETURNING id"
        ).all().isEmpty
    }

    func deleteEndedChallenges(before: Date) async throws -> Int {
        try await sql.rowsWritten("DELETE FROM mfa_challenges WHERE expires_at < \(bind: before) RETURNING id")
    }
}
