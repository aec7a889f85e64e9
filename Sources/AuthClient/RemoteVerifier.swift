import AsyncHTTPClient
import AuthShared
import Crypto
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization

/// Asks authd (`POST /auth/verify`, authenticated as a service client) about each token, so revocations,
/// disabled users and role changes are seen at once. An optional cache (`cacheTTL`, off by default) trades
/// that immediacy for fewer calls: a revocation then takes up to the TTL to be seen here.
public final class RemoteVerifier: TokenVerifier {
    public struct Settings: Sendable {
        public var verifyURL: String
        public var clientID: String
        public var clientSecret: String
        public var cacheTTL: Duration
        public init(verifyURL: String, clientID: String, clientSecret: String, cacheTTL: Duration = .zero) {
            self.verifyURL = verifyURL
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.cacheTTL = cacheTTL
        }
        public init(authdURL baseURL: String, clientID: String, clientSecret: String, cacheTTL: Duration = .zero) {
            let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.init(
                verifyURL: base + "/auth/verify",
                clientID: clientID,
                clientSecret: clientSecret,
                cacheTTL: cacheTTL
            )
        }
    }

    struct Introspection: Decodable {
        var active: Bool
        var sub: String?
        var email: String?
        var roles: [String]?
        var permissions: [String]?
        var sid: String?
        var exp: Int?
        var allowed: Bool?
        var token_type: String?
        var aal: Int?
        var amr: [String]?
    }

    public let settings: Settings
    private let httpClient: HTTPClient
    private let authorization: String
    private let cache = Mutex<[String: (VerifiedToken, ContinuousClock.Instant)]>([:])

    public init(settings: Settings, httpClient: HTTPClient = .shared) {
        self.settings = settings
        self.httpClient = httpClient
        self.authorization = "Basic " + Data("\(settings.clientID):\(settings.clientSecret)".utf8).base64EncodedString()
    }

    public func verify(_ token: String) async throws -> VerifiedToken {
        try await verify(token, requiredPermissions: []).token
    }

    /// Verifies and asks authd whether the token's current permissions cover `requiredPermissions`.
    public func verify(
        _ token: String,
        requiredPermissions: [String]
    ) async throws -> (token: VerifiedToken, allowed: Bool) {
        guard !token.isEmpty, token.utf8.count <= 8192 else { throw AuthClientError.invalidToken }
        let key = SHA256.hash(data: Array(token.utf8)).hexString
        // A cached answer lasts at most `cacheTTL`, and never past the token's own `exp`.
        if settings.cacheTTL > .zero, let cached = cache.withLock({ $0[key] }), ContinuousClock.now < cached.1,
            Date().timeIntervalSince1970 < Double(cached.0.expiresAt)
        {
            return (cached.0, cached.0.hasAll(requiredPermissions))
        }
        var request = HTTPClientRequest(url: settings.verifyURL)
        request.method = .POST
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = try JSONSerialization.data(withJSONObject: [
            "token": token, "required_permissions": requiredPermissions,
        ])
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, timeout: .seconds(5))
        } catch {
            throw AuthClientError.unavailable("authd could not be reached")
        }
        switch response.status.code {
        case 200: break
        case 401: throw AuthClientError.invalidClientCredentials
        default: throw AuthClientError.unavailable("authd answered \(response.status.code)")
        }
        let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
        guard let answer = try? JSONDecoder().decode(Introspection.self, from: data) else {
            throw AuthClientError.unavailable("unexpected answer")
        }
        let personal = answer.token_type == VerifiedToken.personalAccessTokenType
        // An access token has a session and an expiry; a personal access token has neither necessarily.
        guard answer.active, let sub = answer.sub, personal || (answer.sid != nil && answer.exp != nil) else {
            throw AuthClientError.invalidToken
        }
        let verified = VerifiedToken(
            subject: sub,
            email: answer.email ?? "",
            roles: answer.roles ?? [],
            permissions: answer.permissions ?? [],
            sessionID: answer.sid ?? "",
            expiresAt: answer.exp ?? Int.max,
            source: .remote,
            tokenType: personal ? VerifiedToken.personalAccessTokenType : "Bearer",
            aal: answer.aal ?? 1,
            amr: answer.amr ?? []
        )
        if settings.cacheTTL > .zero {
            cache.withLock { cache in
                if cache.count > 10_000 { cache.removeAll() }
                cache[key] = (verified, ContinuousClock.now + settings.cacheTTL)
            }
        }
        return (verified, answer.allowed ?? verified.hasAll(requiredPermissions))
    }
}
