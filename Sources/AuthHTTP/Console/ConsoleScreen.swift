import AuthCore
import Foundation
import HTTPTypes
import Hummingbird

/// One signed-in request of the console: what the user may see and do, and the pages and actions over the services.
struct ConsoleScreen {
    let controller: ConsoleController
    let signed: ConsoleAuth.Signed
    let meta: RequestMeta
    /// The query string of a GET, the form of a POST.
    let input: ConsoleForm

    init(controller: ConsoleController, signed: ConsoleAuth.Signed, meta: RequestMeta, query: ConsoleForm) {
        self.controller = controller
        self.signed = signed
        self.meta = meta
        self.input = query
    }

    var services: AuthServices { controller.services }
    var principal: Principal { signed.principal }

    func can(_ permission: String) -> Bool { Permission.grants(principal.permissions, permission) }

    /// The values every page's layout reads.
    func base(_ title: String) -> [String: Any] {
        var values: [String: Any] = [
            "title": title, "signed_in": true, "me": principal.email, "csrf": signed.csrf,
            "nav_users": can(Permission.usersRead), "nav_roles": can(Permission.rolesRead),
            "nav_clients": can(Permission.clientsWrite), "nav_audit": can(Permission.auditRead),
        ]
        if let done = input["done"], let message = Self.outcomes[done] { values["flash_ok"] = message }
        return values
    }

    /// What a redirect after an action says on the next page (a key, so a link cannot put words in the console).
    static let outcomes: [String: String] = [
        "disabled": "The user is disabled and every session ended.", "enabled": "The user is enabled.",
        "verified": "The email is marked as verified.", "profile": "The profile is saved.",
        "role_added": "The role is added.", "role_removed": "The role is removed.",
        "session_revoked": "The session is revoked.", "sessions_revoked": "Every session is revoked.",
        "token_revoked": "The token is revoked.", "reset_sent": "A password reset mail is on its way.",
        "verification_sent": "A verification mail is on its way.", "mfa_reset": "Two-factor sign-in is removed.",
        "user_created": "The user is created.", "user_deleted": "The user is deleted.",
        "role_created": "The role is created.", "role_saved": "The role is saved.",
        "role_deleted": "The role is deleted.",
        "client_deleted": "The service client is deleted.",
    ]

    func page(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        controller.html(controller.render(template, values), status: status, cookies: [signed.cookie])
    }

    func redirect(_ location: String) -> Response {
        ConsoleController.redirect(location, cookies: [signed.cookie])
    }

    func denied(_ message: String, status: HTTPResponse.Status = .forbidden) -> Response {
        var values = base(status == .notFound ? "Not found" : "Not allowed")
        values["message"] = message
        return page("denied", values, status: status)
    }

    /// Refuses (403, audited as the API's middleware does) unless the user holds `permission`.
    func require(_ permission: String) async -> Response? {
        guard !can(permission) else { return nil }
        await services.auditLog.recordDetached(
            services.auditLog.event(
                "permission.denied",
                .failure,
                actor: principal.userID,
                meta: meta,
                details: ["permission": permission, "via": "console"]
            ),
            in: services.store
        )
        return denied("This needs the permission \(permission), which your account does not have.")
    }

    /// An action's failure as a page: the problem's words, with the status the API would answer.
    func failed(_ error: AuthError) -> Response {
        var message = error.detail
        if !error.fieldErrors.isEmpty { message += " " + error.fieldErrors.map(\.message).joined(separator: " ") }
        if !error.missingPermissions.isEmpty {
            message += " Missing: " + error.missingPermissions.joined(separator: ", ") + "."
        }
        return denied(message, status: Problem.status(of: error.kind))
    }

    /// The field errors of a validation failure, by field, for the form to show next to each.
    static func fieldErrors(_ error: AuthError) -> [String: String] {
        var errors: [String: String] = [:]
        for field in error.fieldErrors {
            // `permissions[2]` is shown next to the `permissions` field.
            let name = String(field.field.prefix { $0 != "[" && $0 != "." })
            if errors[name] == nil { errors[name] = field.message }
        }
        if errors.isEmpty { errors["form"] = error.detail }
        return errors
    }

    static func date(_ date: Date?) -> String {
        guard let date else { return "never" }
        return String(rfc3339(date).prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}
