import AuthCore
import HTTPTypes
import Hummingbird
import Metrics

/// The public `/auth` routes that start or continue a session: registration, login, refresh.
struct AuthController {
    let accounts: AccountService
    let login: LoginService
    let refresh: RefreshService

    /// Each route in the group that holds its rate limit.
    func addRoutes(
        register: RouterGroup<AppRequestContext>,
        login: RouterGroup<AppRequestContext>,
        refresh: RouterGroup<AppRequestContext>
    ) {
        register.post("register", use: self.register)
        login.post("login", use: logIn)
        refresh.post("refresh", use: refreshTokens)
    }

    @Sendable func register(
        _ request: Request,
        context: AppRequestContext
    ) async throws -> EditedResponse<RegisteredResponse> {
        let body = try await request.decodeBody(as: RegisterRequest.self, context: context)
        let input = RegistrationInput(email: body.email, password: body.password, profile: body.profile.changes)
        let user = try await accounts.register(input, meta: context.meta(request))
        return EditedResponse(status: .created, response: RegisteredResponse(user: UserResponse(user)))
    }

    @Sendable func logIn(
        _ request: Request,
        context: AppRequestContext
    ) async throws -> EditedResponse<TokenPairResponse> {
        let body = try await request.decodeBody(as: LoginRequest.self, context: context)
        do {
            let pair = try await login.login(email: body.email, password: body.password, meta: context.meta(request))
            Self.count("authd_logins_total", "success")
            return Self.tokens(pair)
        } catch let error as AuthError {
            let outcome =
                error.kind == .throttled ? "throttled" : error.mfaToken != nil ? "mfa_required" : "failure"
            Self.count("authd_logins_total", outcome)
            throw error
        }
    }

    @Sendable func refreshTokens(
        _ request: Request,
        context: AppRequestContext
    ) async throws
        -> EditedResponse<TokenPairResponse>
    {
        let body = try await request.decodeBody(as: RefreshRequest.self, context: context)
        do {
            let pair = try await refresh.refresh(token: body.refresh_token, meta: context.meta(request))
            Self.count("authd_refreshes_total", "success")
            return Self.tokens(pair)
        } catch let error as AuthError {
            Self.count("authd_refreshes_total", error.code)
            if error == .refreshTokenReused { Counter(label: "authd_refresh_token_reuse_total").increment() }
            throw error
        }
    }

    /// Token answers are never cached (RFC 6749 §5.1).
    static func tokens(_ pair: TokenPair) -> EditedResponse<TokenPairResponse> {
        EditedResponse(
            headers: [.cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"],
            response: TokenPairResponse(pair)
        )
    }

    static func count(_ label: String, _ outcome: String) {
        Counter(label: label, dimensions: [("outcome", outcome)]).increment()
    }
}
