import AuthCore
import Foundation
import Hummingbird

/// Roles, service clients and the audit log.
extension ConsoleScreen {
    func roles(errors: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        if let refused = await require(Permission.rolesRead) { return refused }
        var values = base("Roles")
        values["items"] = try await services.roles.roles().map { role -> [String: Any] in
            [
                "name": role.name, "description": role.description,
                "permissions": role.permissions.joined(separator: ", "),
                "requires_mfa": role.requiresMFA ? "yes" : "no",
            ]
        }
        values["can_write"] = can(Permission.rolesWrite)
        values["errors"] = errors
        if !errors.isEmpty {
            values["name"] = input["name"]
            values["description"] = input["description"]
            values["permissions"] = input.raw("permissions")
        }
        return page("roles", values, status: status)
    }

    func role(
        _ name: String,
        errors: [String: String] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws
        -> Response
    {
        if let refused = await require(Permission.rolesRead) { return refused }
        guard let role = try await services.roles.roles().first(where: { $0.name == name }) else {
            return denied("No such role.", status: .notFound)
        }
        var values = base("Role " + role.name)
        values["name"] = role.name
        values["description"] = errors.isEmpty ? role.description : input["description"] ?? ""
        values["permissions"] =
            errors.isEmpty ? role.permissions.joined(separator: "\n") : input.raw("permissions") ?? ""
        values["permission_list"] = role.permissions.isEmpty ? "none" : role.permissions.joined(separator: ", ")
        values["requires_mfa"] = role.requiresMFA ? "yes" : "no"
        values["can_write"] = can(Permission.rolesWrite)
        values["errors"] = errors
        return page("role", values, status: status)
    }

    var permissionList: [String] {
        // Browsers send a textarea's line breaks as CRLF, one Character: isNewline covers it.
        (input.raw("permissions") ?? "").split(whereSeparator: { $0.isNewline || $0 == "," })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func createRole() async throws -> Response {
        if let refused = await require(Permission.rolesWrite) { return refused }
        do {
            let role = try await services.roles.create(
                name: input["name"] ?? "",
                description: input["description"] ?? "",
                permissions: permissionList,
                actor: principal,
                meta: meta
            )
            return redirect("/console/roles/\(Self.pathSegment(role.name))?done=role_created")
        } catch let error as AuthError where error.kind == .invalid || error.kind == .conflict {
            return try await roles(errors: Self.fieldErrors(error), status: Self.status(error))
        } catch let error as AuthError {
            return failed(error)
        }
    }

    func updateRole(_ name: String) async throws -> Response {
        if let refused = await require(Permission.rolesWrite) { return refused }
        do {
            _ = try await services.roles.update(
                name: name,
                description: input["description"] ?? "",
                permissions: permissionList,
                actor: principal,
                meta: meta
            )
            return redirect("/console/roles/\(Self.pathSegment(name))?done=role_saved")
        } catch let error as AuthError where error.kind == .invalid {
            return try await role(name, errors: Self.fieldErrors(error), status: Self.status(error))
        } catch let error as AuthError {
            return failed(error)
        }
    }

    func deleteRole(_ name: String) async throws -> Response {
        if let refused = await require(Permission.rolesWrite) { return refused }
        guard input.confirmed else { return unconfirmed() }
        do {
            try await services.roles.delete(name: name, actor: principal, meta: meta)
            return redirect("/console/roles?done=role_deleted")
        } catch let error as AuthError {
            return failed(error)
        }
    }

    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? text
    }

    func clients(created: (ServiceClient, String)? = nil, errors: [String: String] = [:]) async throws -> Response {
        if let refused = await require(Permission.clientsWrite) { return refused }
        var values = base("Service clients")
        values["items"] = try await services.serviceClients.clients().map { client -> [String: Any] in
            [
                "id": client.id.uuidString.lowercased(), "name": client.name, "client_id": client.clientID,
                "created": Self.date(client.createdAt),
            ]
        }
        if let (client, secret) = created {
            values["created"] = true
            values["client_id"] = client.clientID
            values["client_secret"] = secret
            values["flash_ok"] = "The service client \(client.name) is created."
        }
        values["errors"] = errors
        return page("clients", values, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    func createClient() async throws -> Response {
        if let refused = await require(Permission.clientsWrite) { return refused }
        do {
            let created = try await services.serviceClients.create(
                name: input["name"] ?? "",
                actor: principal,
                meta: meta
            )
            // Shown in this answer only (never in a redirect's URL): the secret is not stored.
            return try await clients(created: created)
        } catch let error as AuthError where error.kind == .invalid {
            return try await clients(errors: Self.fieldErrors(error))
        }
    }

    func deleteClient(_ rawID: String) async throws -> Response {
        if let refused = await require(Permission.clientsWrite) { return refused }
        guard let id = UUID(uuidString: rawID) else { return denied("No such client.", status: .notFound) }
        guard input.confirmed else { return unconfirmed() }
        do {
            try await services.serviceClients.delete(id: id, actor: principal, meta: meta)
            return redirect("/console/clients?done=client_deleted")
        } catch let error as AuthError {
            return failed(error)
        }
    }
}
