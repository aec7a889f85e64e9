import AuthCore
import AuthHTTP
import AuthPersistence
import AuthRuntime
import AuthTestSupport
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import JWTKit
import Testing

/// Hostile access tokens: every one of them is a 401 on a protected route and inactive on /auth/verify.
@Suite struct TokenSecurityTests {
    func b64(_ data: Data) -> String { data.base64URLEncodedString() }
    func b64(json: [String: Any]) throws -> String {
        b64(try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
    }

    func parts(_ token: String) -> (header: [String: Any], payload: [String: Any]) {
        let p = token.split(separator: ".").map(String.init)
        let h = (try? JSONSerialization.jsonObject(with: Data(base64URLEncoded: p[0])!)) as? [String: Any] ?? [:]
        let b = (try? JSONSerialization.jsonObject(with: Data(base64URLEncoded: p[1])!)) as? [String: Any] ?? [:]
        return (h, b)
    }

    /// The app's own signing key, to mint tokens with chosen claims.
    func signingKey(_ app: AuthApp) async throws -> SigningKey {
        let record = try #require(try await app.services.store.signingKeys.all().last)
        return try await SigningKey.load(
            kid: record.kid,
            algorithm: .es256,
            material: record.privateKeyPEM,
            createdAt: record.createdAt
        )
    }

    func claims(from token: String, _ change: (inout AccessTokenClaims) -> Void) throws -> AccessTokenClaims {
        let p = token.split(separator: ".").map(String.init)
        var c = try JSONDecoder().decode(AccessTokenClaims.self, from: Data(base64URLEncoded: p[1])!)
        change(&c)
        return c
    }

    func expectRefused(
        _ api: TestAPI,
        _ token: String,
        _ svc: (id: String, secret: String),
        _ comment: Comment
    ) async throws {
        let me = try await api.call(.get, "/auth/me", token: token)
        #expect(me.status == .unauthorized && me.code == "invalid_token", comment)
        let v = try await api.verify(token, client: svc)
        #expect(v.status == .ok && v.text == "{\"active\":false}", comment)
    }

    @Test func accessTokenHeaderAndClaimsFollowTheContract() async throws {
        try await withApp(.sqlite) { api, app in
            let (email, tokens) = try await api.newUser()
            let (header, payload) = parts(tokens.access)
            #expect(
                header["alg"] as? String == "ES256" && header["typ"] as? String == "at+jwt" && header["kid"] is String
            )
            for claim in ["iss", "aud", "sub", "exp", "iat", "jti", "sid", "email", "roles", "permissions"] {
                #expect(payload[claim] != nil, "\(claim)")
            }
            #expect(payload["iss"] as? String == "http://authd.test" && payload["aud"] as? String == "authd")
            #expect(payload["email"] as? String == email)
            #expect((payload["exp"] as? Int ?? 0) - (payload["iat"] as? Int ?? 0) == 900)
            // The public key in the JWKS verifies the token (jwt-kit as an independent verifier).
            let jwks = try await api.call(.get, "/.well-known/jwks.json")
            #expect(jwks.header("Content-Type") == "application/jwk-set+json")
            let keys = JWTKeyCollection()
            try await keys.add(jwksJSON: jwks.text)
            struct Payload: JWTPayload {
                var sub: String
                func verify(using algorithm: some JWTAlgorithm) {}
            }
            let verified = try await keys.verify(tokens.access, as: Payload.self)
            #expect(verified.sub == tokens.userID)
            _ = app
        }
    }

    @Test func forgedTokensAreRefused() async throws {
        let clock = ManualClock(Date())
        try await withApp(.sqlite, clock: clock) { api, app in
            let admin = try await api.admin()
            let svc = try await api.serviceClient(admin: admin.access)
            let (_, tokens) = try await api.newUser()
            let (header, payload) = parts(tokens.access)
            let kid = try #require(header["kid"] as? String)
            let p = tokens.access.split(separator: ".").map(String.init)

            // alg: none, with and without a signature.
            let noneHeader = try b64(json: ["alg": "none", "typ": "at+jwt", "kid": kid])
            try await expectRefused(api, "\(noneHeader).\(p[1]).", svc, "alg none")
            try await expectRefused(api, "\(noneHeader).\(p[1]).\(p[2])", svc, "alg none with signature")

            // HS256 keyed with the public key (algorithm confusion).
            let jwks = try await api.call(.get, "/.well-known/jwks.json").json["keys"] as? [[String: String]] ?? []
            let jwk = try #require(jwks.first { $0["kid"] == kid })
            let publicPEM = try ES256PublicKey(parameters: (x: jwk["x"]!, y: jwk["y"]!)).pemRepresentation
            let hsHeader = try b64(json: ["alg": "HS256", "typ": "at+jwt", "kid": kid])
            let mac = HMAC<SHA256>.authenticationCode(
                for: Data("\(hsHeader).\(p[1])".utf8),
                using: SymmetricKey(data: Data(publicPEM.utf8))
            )
            try await expectRefused(api, "\(hsHeader).\(p[1]).\(b64(Data(mac)))", svc, "HS256 with the public key")

            // A tampered payload keeps the old signature.
            var elevated = payload
            elevated["permissions"] = ["*"]
            elevated["roles"] = ["admin"]
            try await expectRefused(api, "\(p[0]).\(try b64(json: elevated)).\(p[2])", svc, "tampered payload")

            // An unknown kid never falls back to another key.
            let attacker = ES256PrivateKey()
            let foreign = JWTKeyCollection()
            await foreign.add(ecdsa: attacker, kid: "attacker")
            var foreignHeader = JWTHeader()
            foreignHeader.typ = "at+jwt"
            foreignHeader.kid = "attacker"
            foreignHeader.jku = "https://attacker.example/jwks.json"
            let unknownKid = try await foreign.sign(
                try claims(from: tokens.access) { _ in },
                kid: "attacker",
                header: foreignHeader
            )
            try await expectRefused(api, unknownKid, svc, "unknown kid with jku")
            // No kid at all.
            var typOnly = JWTHeader()
            typOnly.typ = "at+jwt"
            let noKid = try await foreign.sign(try claims(from: tokens.access) { _ in }, header: typOnly)
            try await expectRefused(api, noKid, svc, "no kid")

            // Signed with the real key but naming a kid authd does not have: refused, never tried with its keys.
            let record = try #require(try await app.services.store.signingKeys.all().last)
            let renamed = try await SigningKey.load(
                kid: "not-a-kid-of-authd",
                algorithm: .es256,
                material: record.privateKeyPEM,
                createdAt: record.createdAt
            )
            try await expectRefused(
                api,
                try await renamed.sign(claims(from: tokens.access) { _ in }),
                svc,
                "real key, unknown kid"
            )
            // Headers that name a key by URL or embed one (jwk, x5u, jku) with the real kid are never followed: the
            // attacker's signature is checked against authd's key and fails.
            let p256 = P256.Signing.PrivateKey()
            let raw = p256.publicKey.rawRepresentation
            let attackerJWK: [String: String] = [
                "kty": "EC", "crv": "P-256", "x": b64(raw.prefix(32)), "y": b64(raw.suffix(32)),
            ]
            for (name, value) in [
                ("jwk", attackerJWK as Any), ("x5u", "https://attacker.example/cert.pem" as Any),
                ("jku", "https://attacker.example/jwks.json" as Any),
            ] {
                let h = try b64(json: ["alg": "ES256", "typ": "at+jwt", "kid": kid, name: value])
                let signature = try p256.signature(for: Data("\(h).\(p[1])".utf8))
                try await expectRefused(api, "\(h).\(p[1]).\(b64(signature.rawRepresentation))", svc, "\(name) header")
            }

            // Signed with the real key, but with claims that must fail.
            let key = try await signingKey(app)
            try await expectRefused(
                api,
                try await key.sign(claims(from: tokens.access) { $0.iss = "https://evil.example" }),
                svc,
                "wrong iss"
            )
            try await expectRefused(
                api,
                try await key.sign(claims(from: tokens.access) { $0.aud = "another-service" }),
                svc,
                "wrong aud"
            )
            try await expectRefused(
                api,
                try await key.sign(claims(from: tokens.access) { $0.exp = $0.iat - 1 }),
                svc,
                "expired"
            )
            try await expectRefused(
                api,
                try await key.sign(claims(from: tokens.access) { $0.nbf = $0.iat + 600 }),
                svc,
                "nbf in the future"
            )
            try await expectRefused(
                api,
                try await key.sign(claims(from: tokens.access) { _ in }, typ: nil),
                svc,
                "no typ"
            )
            try await expectRefused(
                api,
                try await key.sign(claims(from: tokens.access) { _ in }, typ: "JWT"),
                svc,
                "typ JWT"
            )
            try await expectRefused(
                api,
                try await key.sign(claims(from: tokens.access) { $0.sid = UUID().uuidString }),
                svc,
                "unknown session"
            )
            try await expectRefused(
                api,
                try await key.sign(claims(from: tokens.access) { $0.sub = admin.userID }),
                svc,
                "sub of another user"
            )

            // Garbage of every shape, and the refresh token.
            for garbage in [
                "garbage.token.here", "a.b", "....", tokens.refresh, String(repeating: "x", count: 9000),
                "\(p[0]).\(p[1])",
            ] {
                try await expectRefused(api, garbage, svc, "garbage")
            }
            // The real token still works, until it expires.
            #expect(try await api.call(.get, "/auth/me", token: tokens.access).status == .ok)
            clock.advance(by: 901)
            try await expectRefused(api, tokens.access, svc, "expired by the clock")
        }
    }

    @Test func tokensOfAnotherDeploymentAreRefused() async throws {
        let foreignToken = try await withApp(.sqlite) { api, _ in try await api.newUser().tokens.access }
        try await withApp(.sqlite) { api, _ in
            let admin = try await api.admin()
            let svc = try await api.serviceClient(admin: admin.access)
            try await expectRefused(api, foreignToken, svc, "another deployment")
        }
    }

    @Test func authorizationHeaderMustBeBearer() async throws {
        try await withApp(.sqlite) { api, _ in
            let (_, tokens) = try await api.newUser()
            let r = try await api.call(.get, "/auth/me", headers: [.authorization: "Token \(tokens.access)"])
            #expect(r.status == .unauthorized && r.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            #expect(
                try await api.call(.get, "/auth/me", headers: [.authorization: "bearer \(tokens.access)"]).status == .ok
            )
            // Case-insensitive scheme, blanks around the credential ignored; nothing else is.
            #expect(
                try await api.call(.get, "/auth/me", headers: [.authorization: "BEARER \t \(tokens.access) "]).status
                    == .ok
            )
            for header in ["Bearer", "Bearer ", "Bearer  \t ", "Bearerx\(tokens.access)", "Bearer \(tokens.access)x"] {
                let refused = try await api.call(.get, "/auth/me", headers: [.authorization: header])
                #expect(refused.status == .unauthorized, "\(header.prefix(12))")
            }
        }
    }

    @Test(arguments: [AuthConfiguration.JWTAlgorithmName.eddsa, .rs256, .hs256])
    func everySelectableAlgorithmSignsAndVerifies(_ algorithm: AuthConfiguration.JWTAlgorithmName) async throws {
        try await withApp(
            .sqlite,
            configure: {
                $0.jwtAlgorithm = algorithm
                $0.jwtSecret = algorithm == .hs256 ? String(repeating: "k", count: 40) : nil
            }
        ) { api, _ in
            let (_, tokens) = try await api.newUser()
            #expect(parts(tokens.access).header["alg"] as? String == algorithm.rawValue)
            #expect(try await api.call(.get, "/auth/me", token: tokens.access).status == .ok)
            let keys = try await api.call(.get, "/.well-known/jwks.json").json["keys"] as? [[String: String]] ?? []
            // A symmetric key is never published.
            #expect(algorithm == .hs256 ? keys.isEmpty : keys.contains { $0["alg"] == algorithm.rawValue })
        }
    }

    @Test func aKeyFromAFileSignsAndIsPublished() async throws {
        let pem = ES256PrivateKey().pemRepresentation
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("authd-key-\(UUID().uuidString).pem")
            .path
        try pem.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await withApp(.sqlite, configure: { $0.jwtPrivateKeyFile = path }) { api, _ in
            let (_, tokens) = try await api.newUser()
            let kid = parts(tokens.access).header["kid"] as? String
            #expect(kid == SigningKey.kid(for: pem))
            #expect(try await api.call(.get, "/auth/me", token: tokens.access).status == .ok)
            let keys = try await api.call(.get, "/.well-known/jwks.json").json["keys"] as? [[String: String]] ?? []
            #expect(keys.contains { $0["kid"] == kid && $0["kty"] == "EC" && $0["d"] == nil })
        }
    }

    @Test func rotatedKeysKeepVerifyingOldTokensAndSignNewOnes() async throws {
        try await withApp(.sqlite) { api, app in
            let (email, tokens) = try await api.newUser()
            let oldKid = parts(tokens.access).header["kid"] as? String
            let newKid = try await app.services.tokens.rotate()
            #expect(newKid != oldKid)
            #expect(try await api.call(.get, "/auth/me", token: tokens.access).status == .ok)
            let fresh = try await api.loginTokens(email)
            #expect(parts(fresh.access).header["kid"] as? String == newKid)
            let kids = (try await api.call(.get, "/.well-known/jwks.json").json["keys"] as? [[String: String]] ?? [])
                .compactMap { $0["kid"] }
            #expect(Set(kids) == Set([oldKid!, newKid]))
        }
    }
}
