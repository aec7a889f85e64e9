import AuthCore
import Foundation
import Hummingbird

/// What the user page's forms do: each goes through the service the API uses, then back to the page.
extension ConsoleScreen {
    func createUser() async throws -> Response {
        if let refused = await require(Permission.usersWrite) { return refused }
        do {
            let created = try await services.adminUsers.create(
                AdminUserInput(
                    email: input["email"] ?? "",
                    password: input.raw("password") ?? "",
                    profile: ProfileChanges(displayName: input["display_name"]),
                    isVerified: input["is_verified"] == "on"
                ),
                actor: principal,
                meta: meta
            )
            return redirect("/console/users/\(created.user.id.uuidString.lowercased())?done=user_created")
        } catch let error as AuthError where error.kind == .invalid || error.kind == .conflict {
            return try newUser(errors: Self.fieldErrors(error), status: ConsoleScreen.status(error))
        }
    }

    func userAction(_ rawID: String, _ action: String) async throws -> Response {
        guard let id = UUID(uuidString: rawID) else { return denied("No such user.", status: .notFound) }
        let back = "/console/users/\(id.uuidString.lowercased())"
        let needed = action == "delete" ? Permission.usersDelete : Permission.usersWrite
        if let refused = await require(needed) { return refused }
        do {
            switch action {
            case "disable", "enable":
                if action == "disable" && !input.confirmed { return unconfirmed() }
                _ = try await services.adminUsers.update(
                    id,
                    AdminUserInput(isActive: action == "enable"),
                    actor: principal,
                    meta: meta
                )
                return redirect(back + "?done=" + (action == "enable" ? "enabled" : "disabled"))
            case "verify":
                _ = try await services.adminUsers.update(
                    id,
                    AdminUserInput(isVerified: true),
                    actor: principal,
                    meta: meta
                )
                return redirect(back + "?done=verified")
            case "profile":
                do {
                    _ = try await services.adminUsers.update(
                        id,
                        AdminUserInput(profile: ProfileChanges(displayName: .some(input["display_name"]))),
                        actor: principal,
                        meta: meta
                    )
                } catch let error as AuthError where error.kind == .invalid {
                    return try await userPage(try await services.adminUsers.user(id), errors: Self.fieldErrors(error))
                }
                return redirect(back + "?done=profile")
            case "password-reset":
                try await services.emails.adminRequestReset(id, actor: principal, meta: meta)
                return redirect(back + "?done=reset_sent")
            case "email-verification":
                try await services.emails.adminRequestVerification(id, actor: principal, meta: meta)
                return redirect(back + "?done=verification_sent")
            case "mfa-reset":
                guard input.confirmed else { return unconfirmed() }
                try await services.mfa.reset(userID: id, actor: principal, meta: meta)
                return redirect(back + "?done=mfa_reset")
            case "delete":
                guard input.confirmed else { return unconfirmed() }
                try await services.adminUsers.delete(id, actor: principal, meta: meta)
                return redirect("/console/users?done=user_deleted")
            default:
                return denied("No such action.", status: .notFound)
            }
        } catch let error as AuthError {
            return failed(error)
        }
    }

    func changeRole(_ rawID: String, _ change: String) async throws -> Response {
        if let refused = await require(Permission.usersWrite) { return refused }
        guard let id = UUID(uuidString: rawID), let role = input["role"], change == "add" || change == "remove" else {
            return denied("No such action.", status: .notFound)
        }
        do {
            let current = try await services.adminUsers.user(id).user.roles
            let roles = change == "add" ? Array(Set(current + [role])) : current.filter { $0 != role }
            _ = try await services.adminUsers.update(id, AdminUserInput(roles: roles), actor: principal, meta: meta)
            return redirect(
                "/console/users/\(id.uuidString.lowercased())?done=role_" + (change == "add" ? "added" : "removed")
            )
        } catch let error as AuthError {
            return failed(error)
        }
    }

    func revokeSession(_ rawID: String, _ rawSession: String) async throws -> Response {
        if let refused = await require(Permission.sessionsWrite) { return refused }
        guard let id = UUID(uuidString: rawID), let session = UUID(uuidString: rawSession) else {
            return denied("No such session.", status: .notFound)
        }
        guard input.confirmed else { return unconfirmed() }
        do {
            try await services.sessions.revoke(session: session, of: id, actor: principal, meta: meta)
            return redirect("/console/users/\(id.uuidString.lowercased())?done=session_revoked")
        } catch let error as AuthError {
            return failed(error)
        }
    }

    func revokeAllSessions(_ rawID: String) async throws -> Response {
        if let refused = await require(Permission.sessionsWrite) { return refused }
        guard let id = UUID(uuidString: rawID) else { return denied("No such user.", status: .notFound) }
        guard input.confirmed else { return unconfirmed() }
        do {
            try await services.adminUsers.requireUser(id)
            try await services.sessions.revokeAll(of: id, actor: principal, meta: meta)
            return redirect("/console/users/\(id.uuidString.lowercased())?done=sessions_revoked")
        } catch let error as AuthError {
            return failed(error)
        }
    }

    func revokeToken(_ rawID: String, _ rawToken: String) async throws -> Response {
        if let refused = await require(Permission.tokensWrite) { return refused }
        guard let id = UUID(uuidString: rawID), let token = UUID(uuidString: rawToken) else {
            return denied("No such token.", status: .notFound)
        }
        guard input.confirmed else { return unconfirmed() }
        do {
            try await services.personalTokens.revoke(tokenID: token, of: id, actor: principal, meta: meta)
            return redirect("/console/users/\(id.uuidString.lowercased())?done=token_revoked")
        } catch let error as AuthError {
            return failed(error)
        }
    }

    func unconfirmed() -> Response {
        denied("Tick the confirmation box to do this.", status: .unprocessableContent)
    }

    static func status(_ error: AuthError) -> HTTPResponse.Status { Problem.status(of: error.kind) }
}
