import AuthCore
import Foundation
import SQLKit

/// The token signing keys (`signing_keys`), oldest first.
struct SQLSigningKeyRepository: SigningKeyRepository {
    let sql: StoreDatabase
    struct Row: Codable {
        var kid: String
        var algorithm: String
        var private_key: String
        var created_at: Date
    }

    func all() async throws -> [SigningKeyRecord] {
        try await sql.raw("SELECT * FROM signing_keys ORDER BY created_at").all(decoding: Row.self).map {
            SigningKeyRecord(
                kid: $0.kid,
                algorithm: $0.algorithm,
                privateKeyPEM: $0.private_key,
                createdAt: $0.created_at
            )
        }
    }

    func insert(_ key: SigningKeyRecord) async throws {
        let row = Row(kid: key.kid, algorithm: key.algorithm, private_key: key.privateKeyPEM, created_at: key.createdAt)
        try await sql.insert(into: "signing_keys").model(row).run()
    }

    func replacePrivateKey(kid: String, with privateKey: String) async throws {
        try await sql.raw("UPDATE signing_keys SET private_key = \(bind: privateKey) WHERE kid = \(bind: kid)").run()
    }

    func delete(kid: String) async throws {
        try await sql.raw("DELETE FROM signing_keys WHERE kid = \(bind: kid)").run()
    }
}
