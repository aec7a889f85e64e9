import AuthCore
import AuthTestSupport
import Foundation
import Testing

/// Other instances hear of a revocation through the change's own transaction: every revoking change announces,
/// and a change that is rolled back announces nothing.
@Suite struct AnnouncementRulesTests {
    @Test func everyRevokingChangeAnnouncesWithItsCommit() async throws {
        let harness = try await DomainHarness()
        let admin = try await harness.admin()
        let actor = try await harness.principal(admin.email)
        let user = try await harness.register()
        let session = try await harness.principal(user.email)
        try await harness.services.sessions.logout(session, allSessions: false, meta: RequestMeta())
        #expect(try harness.store.announcements.last == .session(try #require(session.sessionID)))

        _ = try await harness.services.adminUsers.update(
            user.id,
            AdminUserInput(isActive: false),
            actor: actor,
            meta: RequestMeta()
        )
        #expect(try harness.store.announcements.last == .user(user.id))

        let (client, _) = try await harness.services.serviceClients.create(
            name: "svc",
            actor: actor,
            meta: RequestMeta()
        )
        try await harness.services.serviceClients.delete(id: client.id, actor: actor, meta: RequestMeta())
        #expect(
            try harness.store.announcements.suffix(2) == [
                .serviceClient(client.clientID), .serviceClient(client.clientID),
            ]
        )
    }

    @Test func aRefusedChangeAnnouncesNothing() async throws {
        let harness = try await DomainHarness()
        let admin = try await harness.admin()
        let actor = try await harness.principal(admin.email)
        let before = try harness.store.announcements
        // The last holder of `*` disabling itself: the transaction runs, announces, and is rolled back.
        await #expect(throws: AuthError.lastAdmin) {
            try await harness.services.adminUsers.update(
                admin.id,
                AdminUserInput(isActive: false),
                actor: actor,
                meta: RequestMeta()
            )
        }
        #expect(try harness.store.announcements == before)
    }
}
