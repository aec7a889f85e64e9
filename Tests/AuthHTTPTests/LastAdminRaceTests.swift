import AuthCore
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Testing

/// Two administrators disabling each other at the same moment: at most one wins, and some active user always holds
/// `*` (on PostgreSQL this needs a lock both transactions honour, not a plain SELECT).
@Suite struct LastAdminRaceTests {
    @Test(arguments: TestDatabase.all)
    func twoAdminsDisablingEachOtherAtOnceLeaveOneStanding(_ database: TestDatabase) async throws {
        try await withApp(database) { api, app in
            let root = try await api.admin()
            let second = uniqueEmail()
            let created = try await api.call(
                .post,
                "/admin/users",
                json: ["email": second, "password": defaultPassword, "roles": ["admin"]],
                token: root.access
            )
            #expect(created.status == .created)
            for round in 0..<6 {
                let a = try await api.loginTokens(adminEmail, adminPassword)
                let b = try await api.loginTokens(second)
                async let first = api.call(
                    .put,
                    "/admin/users/\(b.userID)",
                    json: ["is_active": false],
                    token: a.access
                )
                async let other = api.call(
                    .put,
                    "/admin/users/\(a.userID)",
                    json: ["is_active": false],
                    token: b.access
                )
                let statuses = [try await first.status, try await other.status]
                #expect(statuses.filter { $0 == .ok }.count <= 1, "round \(round): \(statuses)")
                let holders = try await app.services.store.users.superAdminIDs()
                #expect(!holders.isEmpty, "round \(round): \(statuses)")
                // Stand both up again for the next round, through whoever is still active.
                for (tokens, id) in [(a, b.userID), (b, a.userID)] {
                    _ = try await api.call(.put, "/admin/users/\(id)", json: ["is_active": true], token: tokens.access)
                }
            }
        }
    }
}
