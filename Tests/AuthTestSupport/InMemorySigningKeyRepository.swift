import AuthCore
import Foundation

struct InMemorySigningKeyRepository: SigningKeyRepository {
    let context: InMemoryContext

    /// Oldest first (ties by kid).
    func all() async throws -> [SigningKeyRecord] {
        try context.read { s in
            s.signingKeys.values.sorted { $0.createdAt != $1.createdAt ? $0.createdAt < $1.createdAt : $0.kid < $1.kid }
        }
    }

    func insert(_ key: SigningKeyRecord) async throws {
        try await context.write { s in
            guard s.signingKeys[key.kid] == nil else { throw InMemoryStoreError.duplicateKey("signing_keys.kid") }
            s.signingKeys[key.kid] = key
        }
    }

    func replacePrivateKey(kid: String, with privateKey: String) async throws {
        try await context.write { s in s.signingKeys[kid]?.privateKeyPEM = privateKey }
    }

    func delete(kid: String) async throws {
        try await context.write { s in s.signingKeys[kid] = nil }
    }
}
