import AuthCore
import Foundation
import Hummingbird

/// Signing in and out: the API's login (throttling, lockout, the second factor) behind a form.
extension ConsoleController {
    func signInPage(
        _ request: Request,
        email: String? = nil,
        error: String? = nil,
        mfaToken: String? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let (token, setCookie) = auth.preSessionToken(request)
        var values: [String: Any] = ["title": mfaToken == nil ? "Sign in" : "Second factor", "csrf": token]
        values["email"] = email
        values["flash_error"] = error
        values["mfa_token"] = mfaToken
        return html(render("signin", values), status: status, cookies: setCookie.map { [$0] } ?? [])
    }

    func signIn(_ form: ConsoleForm, _ request: Request, meta: RequestMeta) async throws -> Response {
        guard auth.checkPreSession(form, request) else {
            return signInPage(request, error: "The sign-in form expired; please try again.", status: .forbidden)
        }
        guard let email = form["email"], let password = form.raw("password"), !password.isEmpty else {
            return signInPage(
                request,
                email: form["email"],
                error: "Enter your email and password.",
                status: .unprocessableContent
            )
        }
        do {
            return signedIn(try await services.login.login(email: email, password: password, meta: meta))
        } catch let error as AuthError {
            if error.code == "mfa_required", let token = error.mfaToken {
                return signInPage(request, mfaToken: token)
            }
            return signInPage(request, email: email, error: error.detail, status: Problem.status(of: error.kind))
        }
    }

    func verifyMFA(_ form: ConsoleForm, _ request: Request, meta: RequestMeta) async throws -> Response {
        guard auth.checkPreSession(form, request), let token = form["mfa_token"] else {
            return signInPage(request, error: "The sign-in form expired; please try again.", status: .forbidden)
        }
        let code = form["code"] ?? ""
        // Six digits are an authenticator's code; anything else is tried as a recovery code.
        let isTOTP = code.count == 6 && code.allSatisfy(\.isASCII) && code.allSatisfy(\.isNumber)
        do {
            let pair = try await services.mfa.verifyLogin(
                mfaToken: token,
                code: isTOTP ? code : nil,
                recoveryCode: isTOTP ? nil : code,
                meta: meta
            )
            return signedIn(pair)
        } catch let error as AuthError {
            let again = error.code == "invalid_mfa_code" ? token : nil
            return signInPage(request, error: error.detail, mfaToken: again, status: Problem.status(of: error.kind))
        }
    }

    private func signedIn(_ pair: TokenPair) -> Response {
        Self.redirect(
            "/console",
            cookies: [
                auth.sessionCookie(access: pair.accessToken, refresh: pair.refreshToken),
                auth.cookie(auth.preSessionCookieName, value: "", maxAge: 0),
            ]
        )
    }

    func signOut(_ signed: ConsoleAuth.Signed, meta: RequestMeta) async throws -> Response {
        try await services.sessions.logout(signed.principal, allSessions: false, meta: meta)
        return Self.redirect("/console", cookies: [auth.clearedCookie])
    }
}
