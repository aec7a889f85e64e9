import AuthCore
import Foundation
import Hummingbird
import Metrics

/// `/auth/*`: registration, login, tokens, the user's own account and sessions, and `/auth/verify`.
struct AuthController {
    let services: AuthServices
    let limiter: RateLimiter?
    let limits: AuthConfiguration.RateLimits
    var accounts: AccountService { services.accounts }

    func addPublicRoutes(to group: Routes) {
        func limited(_ name: String, _ limit: Int) -> Routes {
            guard let limiter else { return group }
            return group.adding(RateLimitMiddleware(limiter: limiter, name: name, limit: limit))
        }
        limited("register", limits.register).post("register", use: register)
        limited("login", limits.login).post("login", use: login)
        limited("refresh", limits.refresh).post("refresh", use: refresh)
        // /auth/verify is limited per service client, inside the handler.
        group.post("verify", use: verify)
    }

    func addUserRoutes(to group: Routes) {
        group.post("logout", use: logout)
        group.get("me", use: me)
        group.put("me", use: updateMe)
        group.post("change-password", use: changePassword)
        group.get("sessions", use: listSessions)
        group.delete("sessions/{id}", use: deleteSession)
    }

    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        var body = try await JSONBody.read(request, context: context)
        let email = body.string("email", required: true, max: 320)
        let password = body.string("password", required: true, max: 4096)
        let profile = body.profile()
        body.refuseFields(except: JSONBody.profileKeys.union(["email", "password"]))
        try body.finish()
        let user = try await accounts.register(RegistrationInput(email: email ?? "", password: password ?? "", profile: profile),
                                               meta: context.meta(request))
        return try JSONResponse.make(RegisteredResponse(user: UserResponse(user)), status: .created)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        var body = try await JSONBody.read(request, context: context)
        let email = body.string("email", required: true, max: 320)
        let password = body.string("password", required: true, max: 4096)
        try body.finish()
        do {
            let pair = try await accounts.login(email: email ?? "", password: password ?? "", meta: context.meta(request))
            AuthMetrics.login("success")
            return try tokenResponse(pair)
        } catch let error as AuthError {
            AuthMetrics.login(error.status == 429 ? "throttled" : "failure")
            throw error
        }
    }

    @Sendable func refresh(_ request: Request, context: AppRequestContext) async throws -> Response {
        var body = try await JSONBody.read(request, context: context)
        let token = body.string("refresh_token", required: true, max: 4096)
        try body.finish()
        do {
            let pair = try await accounts.refresh(token: token ?? "", meta: context.meta(request))
            AuthMetrics.refresh("success")
            return try tokenResponse(pair)
        } catch let error as AuthError {
            AuthMetrics.refresh(error.code)
            throw error
        }
    }

    func tokenResponse(_ pair: TokenPair) throws -> Response {
        try JSONResponse.make(TokenPairResponse(pair: pair), headers: [.cacheControl: "no-store", .init("Pragma")!: "no-cache"])
    }

    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let (clientID, secret) = Self.basicCredentials(request),
              let client = try await services.clients.authenticate(clientID: clientID, secret: secret)
        else { throw AuthError.invalidClient }
        var context = context
        context.serviceClientID = client
        var decision: RateLimiter.Decision?
        if let limiter {
            let d = limiter.take(key: "verify|" + client, limit: limits.verifyPerClient)
            guard d.allowed else { throw RateLimited(decision: d) }
            decision = d
        }
        var body = try await JSONBody.read(request, context: context)
        let token = body.string("token", required: true, max: 16_384)
        let required = body.stringArray("required_permissions") ?? []
        try body.finish()
        let result = try await services.introspection.introspect(token: token ?? "", requiredPermissions: required)
        var response = JSONResponse.make(json: IntrospectionResponse(value: result).json, headers: [.cacheControl: "no-store"])
        decision?.apply(to: &response.headers)
        return response
    }

    /// `Authorization: Basic base64(client_id:client_secret)`, each part percent-decoded (RFC 6749 §2.3.1).
    /// Works on bytes: this runs on every `/auth/verify`.
    static func basicCredentials(_ request: Request) -> (String, String)? {
        guard let header = request.headers[.authorization] else { return nil }
        var bytes = Array(header.utf8)[...]
        let scheme = Array("basic ".utf8)
        guard bytes.count > scheme.count,
              zip(bytes.prefix(scheme.count), scheme).allSatisfy({ (65...90).contains($0) ? $0 | 0x20 == $1 : $0 == $1 })
        else { return nil }
        bytes = bytes.dropFirst(scheme.count)
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
        guard let decoded = Data(base64Encoded: Data(bytes)).map(Array.init),
              let colon = decoded.firstIndex(of: UInt8(ascii: ":")),
              let id = String(validating: decoded[..<colon], as: UTF8.self),
              let secret = String(validating: decoded[(colon + 1)...], as: UTF8.self)
        else { return nil }
        func percentDecoded(_ s: String) -> String { s.utf8.contains(UInt8(ascii: "%")) ? s.removingPercentEncoding ?? s : s }
        return (percentDecoded(id), percentDecoded(secret))
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        var body = try await JSONBody.readOptional(request, context: context)
        let all = body.bool("all_sessions") ?? false
        try body.finish()
        try await accounts.logout(try context.requirePrincipal(), allSessions: all, meta: context.meta(request))
        return JSONResponse.noContent()
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(UserResponse(try await accounts.me(try context.requirePrincipal())))
    }

    @Sendable func updateMe(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var body = try await JSONBody.read(request, context: context)
        let profile = body.profile()
        let email = body.string("email", max: 320)
        let currentPassword = body.string("current_password", max: 4096)
        // roles, permissions, is_active, is_verified, id and anything unknown: refused, nothing changes.
        body.refuseFields(except: JSONBody.profileKeys.union(["email", "current_password"]))
        try body.finish()
        let user = try await accounts.updateProfile(principal, changes: profile, email: email, currentPassword: currentPassword,
                                                    meta: context.meta(request))
        return try JSONResponse.make(UserResponse(user))
    }

    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var body = try await JSONBody.read(request, context: context)
        let current = body.string("current_password", required: true, max: 4096)
        let new = body.string("new_password", required: true, max: 4096)
        body.refuseFields(except: ["current_password", "new_password"])
        try body.finish()
        try await accounts.changePassword(principal, current: current ?? "", new: new ?? "", meta: context.meta(request))
        return JSONResponse.noContent()
    }

    @Sendable func listSessions(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let sessions = try await accounts.sessions(of: principal.userID)
        return try JSONResponse.make(ItemsResponse(items: sessions.map { SessionResponse(session: $0, current: $0.id == principal.sessionID) }))
    }

    @Sendable func deleteSession(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw AuthError.sessionNotFound }
        try await accounts.revokeOwnSession(principal, sessionID: id, meta: context.meta(request))
        return JSONResponse.noContent()
    }
}

enum AuthMetrics {
    static func login(_ outcome: String) {
        Counter(label: "authd_logins_total", dimensions: [("outcome", outcome)]).increment()
    }
    static func refresh(_ outcome: String) {
        Counter(label: "authd_refreshes_total", dimensions: [("outcome", outcome)]).increment()
        if outcome == AuthError.refreshTokenReused.code {
            Counter(label: "authd_refresh_token_reuse_total").increment()
        }
    }
}
