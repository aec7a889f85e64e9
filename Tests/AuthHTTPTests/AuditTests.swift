import AuthCore
import AuthPersistence
import AuthTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@testable import AuthHTTP
@testable import AuthRuntime

@Suite struct AuditTests {
    func events(_ app: AuthApp, _ action: String) async throws -> [AuditEvent] {
        try await app.services.store.audit.list(
            {
                var q = AuditQuery()
                q.action = action
                q.perPage = 100
                return q
            }()
        ).items
    }

    @Test(arguments: TestDatabase.all)
    func everyAdminChangeIsAuditedWithActorTargetAndRequest(_ db: TestDatabase) async throws {
        try await withApp(db) { api, app in
            let admin = try await api.admin()
            let adminID = try #require(UUID(uuidString: admin.userID))
            let headers: HTTPFields = [.init("X-Request-ID")!: "audit-req-1", .userAgent: "audit-test/1.0"]
            let created = try await api.call(
                .post,
                "/admin/users",
                json: ["email": uniqueEmail(), "password": "admin set passphrase"],
                token: admin.access,
                headers: headers
            )
            let target = try #require(UUID(uuidString: created.string("id") ?? ""))
            _ = try await api.call(
                .put,
                "/admin/users/\(target)",
                json: ["display_name": "Changed"],
                token: admin.access
            )
            _ = try await api.call(
                .post,
                "/admin/roles",
                json: ["name": "temp", "permissions": ["x:read"]],
                token: admin.access
            )
            _ = try await api.call(.put, "/admin/roles/temp", json: ["permissions": ["x:*"]], token: admin.access)
            _ = try await api.call(.delete, "/admin/roles/temp", token: admin.access)
            _ = try await api.call(.delete, "/admin/users/\(target)/sessions", token: admin.access)
            _ = try await api.call(.delete, "/admin/users/\(target)", token: admin.access)
            let client = try await api.call(
                .post,
                "/admin/service-clients",
                json: ["name": "audited"],
                token: admin.access
            )
            _ = try await api.call(.delete, "/admin/service-clients/\(client.string("id")!)", token: admin.access)

            let createdEvent = try #require(try await events(app, "user.created").first { $0.userID == target })
            #expect(
                createdEvent.actorID == adminID && createdEvent.requestID == "audit-req-1"
                    && createdEvent.userAgent == "audit-test/1.0"
            )
            for action in ["user.updated", "user.deleted", "session.revoked"] {
                let e = try await events(app, action)
                #expect(
                    e.contains { $0.actorID == adminID && $0.userID == target && $0.outcome == .success },
                    "\(action)"
                )
            }
            for action in [
                "role.created", "role.updated", "role.deleted", "service_client.created", "service_client.deleted",
            ] {
                let e = try await events(app, action)
                #expect(e.count == 1 && e.first?.actorID == adminID, "\(action)")
            }
            #expect(try await events(app, "role.deleted").first?.details["role"] == "temp")
        }
    }

    @Test func userActionsAreAuditedToo() async throws {
        try await withApp(.sqlite) { api, app in
            let (email, tokens) = try await api.newUser()
            let id = try #require(UUID(uuidString: tokens.userID))
            _ = try await api.call(.put, "/auth/me", json: ["display_name": "Me"], token: tokens.access)
            _ = try await api.call(
                .post,
                "/auth/change-password",
                json: ["current_password": defaultPassword, "new_password": "a new passphrase"],
                token: tokens.access
            )
            _ = try await api.call(.post, "/auth/logout", token: tokens.access)
            for action in ["user.registered", "login.succeeded", "profile.updated", "password.changed", "logout"] {
                let e = try await events(app, action)
                #expect(e.contains { $0.userID == id && $0.actorID == id }, "\(action)")
            }
            #expect(try await events(app, "profile.updated").first?.details["fields"] == "display_name")
            _ = email
        }
    }

    @Test func controlCharactersInUserInputCannotForgeEntries() async throws {
        try await withApp(.sqlite) { api, app in
            _ = try await api.login(
                "mallory@example.com\n2026-01-01T00:00:00Z login.succeeded admin",
                "wrong password entirely"
            )
            let failed = try #require(try await events(app, "login.failed").first)
            let email = try #require(failed.details["email"])
            #expect(!email.contains("\n") && email.contains("\\u{a}"))
        }
    }

    @Test func retentionPrunesOldEventsAndExpiredSessions() async throws {
        let clock = ManualClock()
        try await withApp(
            .sqlite,
            clock: clock,
            configure: {
                $0.auditRetentionDays = 30
                $0.refreshTokenTTL = 86_400
            }
        ) { api, app in
            let (_, tokens) = try await api.newUser()
            let before = try await app.services.store.audit.list(AuditQuery()).total
            #expect(before >= 2)
            clock.advance(by: 31 * 86_400)
            _ = try await api.login("nobody@example.com", "wrong password entirely")
            await MaintenanceService(services: app.services, logger: app.services.logger).runOnce()
            let after = try await app.services.store.audit.list(AuditQuery())
            #expect(after.total == 1 && after.items.first?.action == "login.failed")
            let userID = try #require(UUID(uuidString: tokens.userID))
            #expect(
                try await app.services.store.sessions.list(userID: userID, activeAt: .distantPast, idleTimeout: 1e12)
                    .isEmpty
            )
        }
    }
}
