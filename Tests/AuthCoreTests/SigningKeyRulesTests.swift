import AuthCore
import AuthTestSupport
import Crypto
import Foundation
import Testing

/// Key ids and key retirement, on the in-memory store with a clock the test moves.
@Suite struct SigningKeyRulesTests {
    private func service(
        _ algorithm: AuthConfiguration.JWTAlgorithmName,
        store: InMemoryAuthStore,
        clock: ManualClock,
        secret: String? = nil
    ) -> AccessTokenService {
        AccessTokenService(
            settings: .init(
                issuer: "https://authd.test",
                audience: "authd",
                algorithm: algorithm,
                ttl: 900,
                secret: secret
            ),
            store: store,
            clock: clock
        )
    }

    private func token(_ service: AccessTokenService) async throws -> String {
        try await service.sign(userID: UUID(), sessionID: UUID(), email: "a@example.com", roles: [], permissions: [])
            .token
    }

    /// Two fleets (or a rolling change of `AUTH_JWT_ALGORITHM`) share one key table. A newer key of another
    /// algorithm does not retire an instance's own signing key.
    @Test func aNewerKeyOfAnotherAlgorithmDoesNotRetireTheActiveKey() async throws {
        let store = InMemoryAuthStore()
        let clock = ManualClock()
        let es256 = service(.es256, store: store, clock: clock)
        try await es256.start()
        clock.advance(by: 1)
        let eddsa = service(.eddsa, store: store, clock: clock)
        try await eddsa.start()
        clock.advance(by: 900 + 3600)
        try await es256.reload()
        try await eddsa.reload()
        let signed = try await token(es256)
        _ = try await es256.verify(signed)
        _ = try await eddsa.verify(signed)
        let algorithms = Set(await es256.jwks().compactMap { $0["alg"] })
        #expect(algorithms == ["ES256", "EdDSA"])
    }

    @Test func aKeyOfTheSameAlgorithmIsRetiredOneTokenLifetimeAfterItsSuccessor() async throws {
        let store = InMemoryAuthStore()
        let clock = ManualClock()
        let tokens = service(.es256, store: store, clock: clock)
        try await tokens.start()
        let old = try await token(tokens)
        clock.advance(by: 1)
        try await tokens.rotate()
        _ = try await tokens.verify(old)
        #expect(await tokens.jwks().count == 2)
        clock.advance(by: 900 + 2 * AccessTokenService.refreshInterval + 1)
        try await tokens.reload()
        #expect(await tokens.jwks().count == 1)
    }

    /// The HS256 `kid` is published in every token: it must not be a plain digest of the secret.
    @Test func theHS256KeyIDIsKeyedNotAHashOfTheSecret() async throws {
        let secret = "an-hs256-secret-of-at-least-32-bytes!!"
        let kid = SigningKey.hmacKID(for: secret)
        let plain = Data(SHA256.hash(data: Data(secret.utf8))).base64URLEncodedString()
        #expect(!plain.hasPrefix(String(kid.dropFirst(3))))
        #expect(kid != "hs-" + SigningKey.kid(for: secret))
        #expect(kid == SigningKey.hmacKID(for: secret))  // every instance with the secret agrees
        #expect(kid != SigningKey.hmacKID(for: secret + "x"))

        let store = InMemoryAuthStore()
        let first = service(.hs256, store: store, clock: ManualClock(), secret: secret)
        let second = service(.hs256, store: store, clock: ManualClock(), secret: secret)
        try await first.start()
        try await second.start()
        _ = try await second.verify(try await token(first))
    }
}
