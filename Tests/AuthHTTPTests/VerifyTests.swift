import AuthCore
import AuthHTTP
import AuthPersistence
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@Suite struct VerifyTests {
    @Test(arguments: TestDatabase.all)
    func activeTokensAreDescribedAndPermissionsAnswered(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let admin = try await api.admin()
            let svc = try await api.serviceClient(admin: admin.access)
            let (email, user) = try await api.newUser()
            let r = try await api.verify(user.access, client: svc, required: ["users:read"])
            #expect(r.status == .ok && r.json["active"] as? Bool == true && r.json["allowed"] as? Bool == false)
            #expect(
                r.string("sub") == user.userID && r.string("email") == email && r.json["roles"] as? [String] == ["user"]
            )
            for key in ["sid", "exp", "iat", "iss", "aud", "permissions"] { #expect(r.json[key] != nil, "\(key)") }
            #expect(
                try await api.verify(admin.access, client: svc, required: ["users:read", "audit:read"]).json["allowed"]
                    as? Bool == true
            )
            #expect(try await api.verify(user.access, client: svc).json["allowed"] as? Bool == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func callersMustAuthenticateAsAServiceClient(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let admin = try await api.admin()
            let svc = try await api.serviceClient(admin: admin.access)
            for client: (id: String, secret: String)? in [
                nil, ("nobody", "nothing"), (svc.id, svc.secret + "x"), (svc.id, ""), ("", svc.secret),
            ] {
                let r = try await api.verify(admin.access, client: client)
                #expect(r.status == .unauthorized && r.code == "invalid_client", "\(String(describing: client))")
                #expect(r.header("WWW-Authenticate")?.hasPrefix("Basic") == true)
                #expect(!r.text.contains("active"))
            }
            // A user's bearer token is not a service credential.
            let bearer = try await api.call(.post, "/auth/verify", json: ["token": admin.access], token: admin.access)
            #expect(bearer.status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.all)
    func basicCredentialsAreParsedStrictly(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let admin = try await api.admin()
            let svc = try await api.serviceClient(admin: admin.access)
            func b64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
            let pair = b64(Array("\(svc.id):\(svc.secret)".utf8))
            // RFC 6749 §2.3.1: each part may be form-encoded; the scheme is case-insensitive.
            let encodedSecret = "%" + String(format: "%02X", svc.secret.utf8.first!) + svc.secret.dropFirst()
            let accepted = [
                "Basic \(pair)", "basic \(pair)", "BASIC   \(pair) \t",
                "Basic " + b64(Array("\(svc.id):\(encodedSecret)".utf8)),
            ]
            let refused = [
                "Basic", "Basic ", "Basix \(pair)", "Bearer \(pair)", "Basic\t\(pair)", "Basic !!!!", "Basic \(pair)x",
                "Basic " + b64(Array(svc.id.utf8)),  // no colon
                "Basic " + b64(Array(svc.id.utf8) + [0x3A, 0xFF, 0xFE]),  // not UTF-8
                "Basic " + b64(Array("\(svc.id):\(svc.secret)\u{0}".utf8)),
                "Basic " + b64(Array(":\(svc.secret)".utf8)),
                "Basic " + b64(Array("\(svc.id):".utf8)),
                "Basic " + b64(Array("\(svc.id):\(svc.secret.uppercased())".utf8)),
                "Basic " + String(repeating: "QUFB", count: 4096),
            ]
            for header in accepted {
                let r = try await api.call(
                    .post,
                    "/auth/verify",
                    json: ["token": admin.access],
                    headers: [.authorization: header]
                )
                #expect(r.status == .ok && r.json["active"] as? Bool == true, "\(header)")
            }
            for header in refused {
                let r = try await api.call(
                    .post,
                    "/auth/verify",
                    json: ["token": admin.access],
                    headers: [.authorization: header]
                )
                #expect(r.status == .unauthorized && r.code == "invalid_client", "\(header.prefix(40))")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anythingNotActiveIsExactlyActiveFalse(_ db: TestDatabase) async throws {
        try await withApp(db) { api, app in
            let admin = try await api.admin()
            let svc = try await api.serviceClient(admin: admin.access)
            let (_, loggedOut) = try await api.newUser()
            _ = try await api.call(.post, "/auth/logout", token: loggedOut.access)
            let (disabledEmail, disabled) = try await api.newUser()
            let disabledID = try #require(try await app.services.store.users.find(email: disabledEmail)?.id)
            _ = try await api.call(.put, "/admin/users/\(disabledID)", json: ["is_active": false], token: admin.access)
            let (_, deleted) = try await api.newUser()
            _ = try await api.call(.delete, "/admin/users/\(deleted.userID)", token: admin.access)
            for token in ["nonsense", "", loggedOut.access, disabled.access, deleted.access, loggedOut.refresh] {
                let r = try await api.verify(token, client: svc)
                #expect(r.status == .ok && r.text == "{\"active\":false}", "\(token.prefix(20))")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func serviceClientSecretsAreShownOnceStoredHashedAndDeletionIsImmediate(_ db: TestDatabase) async throws {
        try await withApp(db) { api, app in
            let admin = try await api.admin()
            let created = try await api.call(
                .post,
                "/admin/service-clients",
                json: ["name": "billing"],
                token: admin.access
            )
            #expect(created.status == .created)
            let secret = try #require(created.string("client_secret"))
            let clientID = try #require(created.string("client_id"))
            #expect((Data(base64URLEncoded: secret)?.count ?? 0) >= 32)
            let listed = try await api.call(.get, "/admin/service-clients", token: admin.access)
            #expect(
                listed.items.count == 1 && !listed.text.contains(secret) && listed.items.first?["client_secret"] == nil
            )
            let stored = try #require(try await app.services.store.serviceClients.find(clientID: clientID))
            #expect(stored.secretHash == SecureToken.hash(secret) && stored.secretHash != secret)
            #expect(try await api.verify(admin.access, client: (clientID, secret)).status == .ok)
            #expect(
                try await api.call(.delete, "/admin/service-clients/\(created.string("id")!)", token: admin.access)
                    .status == .noContent
            )
            #expect(try await api.verify(admin.access, client: (clientID, secret)).status == .unauthorized)
            #expect(
                try await api.call(.delete, "/admin/service-clients/\(created.string("id")!)", token: admin.access)
                    .status == .notFound
            )
            let events = try await api.call(
                .get,
                "/admin/audit-events?action=service_client.created",
                token: admin.access
            )
            #expect(events.items.count == 1 && !events.text.contains(secret))
        }
    }
}
