import AuthCore
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Testing

/// `/auth/verify` against guessed client ids: failures are limited per address (429) and audited.
@Suite struct VerifyAbuseTests {
    @Test(arguments: TestDatabase.all)
    func failedClientAuthenticationIsLimitedPerAddressAndAudited(_ database: TestDatabase) async throws {
        // A clock that stands still: the bucket does not refill while the test runs.
        try await withApp(database, clock: ManualClock(), configure: { $0.rateLimitEnabled = true }) { api, app in
            let admin = try await api.admin()
            let client = try await api.serviceClient(admin: admin.access)
            var statuses: [Int: Int] = [:]
            for i in 0..<40 {
                let r = try await api.verify(admin.access, client: (id: "svc_guess\(i)", secret: "nope"))
                statuses[Int(r.status.code), default: 0] += 1
                if r.status == .tooManyRequests { #expect(r.header("Retry-After") != nil && r.code == "rate_limited") }
            }
            #expect(statuses == [401: 30, 429: 10], "\(statuses)")
            // A wrong secret for a real client counts too, and once limited, even the right one waits.
            let limited = try await api.verify(admin.access, client: client)
            #expect(limited.status == .tooManyRequests)
            let failures = try await app.services.store.audit.list(
                {
                    var query = AuditQuery()
                    query.action = "service_client.auth_failed"
                    query.perPage = 100
                    return query
                }()
            )
            #expect(failures.total == 30)
            #expect(
                failures.items.allSatisfy {
                    $0.details["reason"] == "unknown_client" && !($0.details["client_id"] ?? "").isEmpty
                }
            )
            #expect(!failures.items.contains { $0.details.values.contains("nope") })
        }
    }

    @Test(arguments: TestDatabase.all)
    func aWrongSecretIsRefusedAndAuditedWithoutTheSecret(_ database: TestDatabase) async throws {
        try await withApp(database) { api, app in
            let admin = try await api.admin()
            let client = try await api.serviceClient(admin: admin.access)
            #expect(
                try await api.verify(admin.access, client: (id: client.id, secret: "wrong")).status == .unauthorized
            )
            #expect(try await api.verify(admin.access, client: client).status == .ok)
            let failures = try await app.services.store.audit.list(
                {
                    var query = AuditQuery()
                    query.action = "service_client.auth_failed"
                    return query
                }()
            )
            #expect(failures.items.map { $0.details["reason"] } == ["wrong_secret"])
            #expect(failures.items.first?.details["client_id"] == client.id)
        }
    }
}
