import AuthCore
import AuthTestSupport
import Foundation
import Testing

extension RepositoryContractTests {
    @Suite struct SigningKeys {
        @Test(arguments: StoreKind.all)
        func keysAreInsertedListedOldestFirstAndDeleted(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let newer = SigningKeyRecord(
                    kid: "k-new",
                    algorithm: "ES256",
                    privateKeyPEM: "pem of the new key",
                    createdAt: Fixture.at(20)
                )
                let older = SigningKeyRecord(
                    kid: "k-old",
                    algorithm: "RS256",
                    privateKeyPEM: "pem of the old key",
                    createdAt: Fixture.at(10)
                )
                #expect(try await store.signingKeys.all() == [])
                try await store.signingKeys.insert(newer)
                try await store.signingKeys.insert(older)
                #expect(try await store.signingKeys.all() == [older, newer])
                await #expect(throws: (any Error).self) {
                    try await store.signingKeys.insert(
                        SigningKeyRecord(
                            kid: "k-old",
                            algorithm: "EdDSA",
                            privateKeyPEM: "x",
                            createdAt: Fixture.at(30)
                        )
                    )
                }
                try await store.signingKeys.delete(kid: "k-old")
                try await store.signingKeys.delete(kid: "k-missing")
                #expect(try await store.signingKeys.all() == [newer])
                // Re-encryption replaces only the stored key material.
                try await store.signingKeys.replacePrivateKey(kid: "k-new", with: "enc:v1:id:sealed")
                try await store.signingKeys.replacePrivateKey(kid: "k-missing", with: "x")
                var resealed = newer
                resealed.privateKeyPEM = "enc:v1:id:sealed"
                #expect(try await store.signingKeys.all() == [resealed])
            }
        }
    }
}
