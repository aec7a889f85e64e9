import AuthCore
import AuthTestSupport
import Foundation
import Logging
import Testing

/// Signing private keys at rest: AES-256-GCM under `AUTH_ENCRYPTION_KEY`, bound to their row, re-encrypted on rotation.
@Suite struct SecretsAtRestTests {
    static let key = Data(repeating: 7, count: 32).base64EncodedString()
    static let newKey = String(repeating: "ab", count: 32)  // hex

    private func service(_ store: InMemoryAuthStore, box: SecretBox?) -> AccessTokenService {
        AccessTokenService(
            settings: .init(issuer: "https://authd.test", audience: "authd", algorithm: .es256, ttl: 900),
            store: store,
            clock: ManualClock(),
            secretBox: box
        )
    }

    private func token(_ service: AccessTokenService) async throws -> String {
        try await service.sign(userID: UUID(), sessionID: UUID(), email: "a@example.com", roles: [], permissions: [])
            .token
    }

    @Test func aSealedValueOpensOnlyWithItsKeyAndInItsRow() throws {
        let box = try SecretBox(key: Self.key)
        let sealed = try box.seal("stand-in for key material", context: "row-1")
        #expect(sealed.hasPrefix(SecretBox.prefix) && !sealed.contains("stand-in"))
        #expect(try box.open(sealed, context: "row-1") == "stand-in for key material")
        // Two seals of one value differ (a fresh nonce each time).
        #expect(try box.seal("x", context: "row-1") != box.seal("x", context: "row-1"))
        #expect(throws: SecretBoxError.cannotOpen) { try box.open(sealed, context: "row-2") }
        // One bit of the ciphertext (or of the tag) flipped.
        let head = sealed[..<(sealed.lastIndex(of: ":").map { sealed.index(after: $0) } ?? sealed.startIndex)]
        let bytes = try #require(Data(base64Encoded: String(sealed[head.endIndex...])))
        for index in [bytes.startIndex + 12, bytes.endIndex - 1] {
            var flipped = bytes
            flipped[index] ^= 0x01
            #expect(throws: SecretBoxError.cannotOpen) {
                try box.open(String(head) + flipped.base64EncodedString(), context: "row-1")
            }
        }
        #expect(throws: SecretBoxError.unknownKey) { try SecretBox(key: Self.newKey).open(sealed, context: "row-1") }
        #expect(throws: SecretBoxError.keyMissing) { try SecretBox.openWithoutKey(sealed) }
    }

    @Test(arguments: ["", "short", String(repeating: "a", count: 63), Data(count: 16).base64EncodedString()])
    func aKeyThatIsNot32BytesStopsTheStart(_ key: String) {
        #expect(throws: ConfigurationError.self) {
            try AuthConfiguration.fromEnvironment(["AUTH_ENCRYPTION_KEY": key.isEmpty ? "=" : key])
        }
    }

    @Test func previousKeysNeedACurrentOne() {
        #expect(throws: ConfigurationError.self) {
            try AuthConfiguration.fromEnvironment(["AUTH_ENCRYPTION_KEY_PREVIOUS": Self.key])
        }
        #expect(throws: Never.self) {
            try AuthConfiguration.fromEnvironment([
                "AUTH_ENCRYPTION_KEY": Self.newKey, "AUTH_ENCRYPTION_KEY_PREVIOUS": Self.key,
            ])
        }
    }

    @Test func signingKeysAreStoredEncryptedAndStillSign() async throws {
        let store = InMemoryAuthStore()
        let tokens = service(store, box: try SecretBox(key: Self.key))
        try await tokens.start()
        let stored = try await store.signingKeys.all()
        #expect(stored.count == 1)
        #expect(stored.allSatisfy { SecretBox.isSealed($0.privateKeyPEM) && !$0.privateKeyPEM.contains("BEGIN") })
        _ = try await tokens.verify(try await token(tokens))
        // Without the key, the table cannot be used: the start fails and says why.
        await #expect(throws: SecretBoxError.keyMissing) { try await service(store, box: nil).start() }
    }

    @Test func plaintextKeysAreEncryptedWhenAKeyIsSet() async throws {
        let store = InMemoryAuthStore()
        let plain = service(store, box: nil)
        try await plain.start()
        let signed = try await token(plain)
        #expect(try await store.signingKeys.all().allSatisfy { !SecretBox.isSealed($0.privateKeyPEM) })
        let sealed = service(store, box: try SecretBox(key: Self.key))
        try await sealed.start()
        #expect(try await store.signingKeys.all().allSatisfy { SecretBox.isSealed($0.privateKeyPEM) })
        _ = try await sealed.verify(signed)
    }

    @Test func rotatingTheEncryptionKeyReencryptsEveryStoredKey() async throws {
        let store = InMemoryAuthStore()
        let old = service(store, box: try SecretBox(key: Self.key))
        try await old.start()
        try await old.rotate()
        let signed = try await token(old)
        // New key set, old key as previous: everything moves to the new key.
        let rotating = service(store, box: try SecretBox(key: Self.newKey, previous: [Self.key]))
        try await rotating.start()
        #expect(try await rotating.resealKeys() == 0)
        #expect(try await rotating.sealedKeyCount() == (2, 2))
        // Afterwards the old key is not needed, and is no longer enough.
        let rotated = service(store, box: try SecretBox(key: Self.newKey))
        try await rotated.start()
        _ = try await rotated.verify(signed)
        await #expect(throws: SecretBoxError.unknownKey) {
            try await service(store, box: try SecretBox(key: Self.key)).start()
        }
    }

    /// TOTP secrets enrolled before a key was set, and those sealed under a previous key, move to the current key.
    @Test func rotatingTheKeyReencryptsTOTPSecretsToo() async throws {
        let store = InMemoryAuthStore()
        let clock = ManualClock()
        func services(_ key: String?, previous: [String] = []) async throws -> AuthServices {
            var configuration = AuthConfiguration.testing()
            configuration.encryptionKey = key
            configuration.encryptionKeyPrevious = previous
            let services = try AuthServices(
                configuration: configuration,
                store: store,
                clock: clock,
                logger: Logger(label: "test"),
                passwordHasher: CountingPasswordHasher()
            )
            try await services.bootstrap()
            return services
        }
        let plain = try await services(nil)
        let email = "totp-at-rest@example.com"
        let password = "violet-ledger-otter-42"
        _ = try await plain.accounts.register(RegistrationInput(email: email, password: password), meta: RequestMeta())
        let pair = try await plain.login.login(email: email, password: password, meta: RequestMeta())
        let principal = try await plain.authenticator.authenticate(accessToken: pair.accessToken)
        let setup = try await plain.mfa.begin(principal, currentPassword: password, meta: RequestMeta())
        let totp = try #require(TOTP(base32: setup.secret))
        _ = try await plain.mfa.confirm(
            principal,
            code: totp.code(step: TOTP.step(at: clock.now())),
            meta: RequestMeta()
        )
        #expect(try await store.mfa.allTOTP().allSatisfy { !SecretBox.isSealed($0.secret) })

        #expect(try await services(Self.key).mfa.resealSecrets() == 1)
        #expect(try await store.mfa.allTOTP().allSatisfy { SecretBox.isSealed($0.secret) })
        #expect(try await services(Self.newKey, previous: [Self.key]).mfa.resealSecrets() == 1)
        let rotated = try await services(Self.newKey)
        #expect(try await rotated.mfa.sealedSecretCount() == (1, 1))
        // The second factor still works under the new key alone.
        clock.advance(by: 30)
        var challenge: String?
        do {
            _ = try await rotated.login.login(email: email, password: password, meta: RequestMeta())
        } catch let error as AuthError {
            challenge = error.mfaToken
        }
        let code = totp.code(step: TOTP.step(at: clock.now()))
        let token = try #require(challenge)
        _ = try await rotated.mfa.verifyLogin(mfaToken: token, code: code, recoveryCode: nil, meta: RequestMeta())
    }
}
