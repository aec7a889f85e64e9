import AuthCore
import AuthTestSupport
import Foundation
import Testing

extension RepositoryContractTests {
    @Suite struct Transactions {
        struct Boom: Error, Equatable {}

        /// Writes through every repository of `tx`; returns the new user.
        static func writeEverything(_ tx: any AuthStore, existing: User, session: Session) async throws -> User {
            try await tx.roles.create(Role(name: "temp", description: "Temporary", permissions: ["temp:read"]))
            let user = Fixture.user("tx@example.com", roles: ["temp"])
            try await tx.users.create(user)
            try await tx.users.setRoles(userID: existing.id, roles: ["admin"])
            try await tx.users.recordLogin(userID: existing.id, at: Fixture.at(99))
            try await tx.sessions.create(Fixture.session(of: user.id), refreshTokenHash: "tx-token")
            _ = try await tx.sessions.revoke(id: session.id, reason: "tx", at: Fixture.at(99))
            _ = try await tx.sessions.rotateRefreshToken(
                hash: "hash-1",
                at: Fixture.at(99),
                successor: UUID(),
                successorHash: "tx-successor"
            )
            try await tx.audit.record(AuditEvent(occurredAt: Fixture.at(99), action: "tx.test", outcome: .success))
            try await tx.serviceClients.create(
                ServiceClient(name: "Tx", clientID: "svc_tx", secretHash: "h", createdAt: Fixture.t0)
            )
            try await tx.signingKeys.insert(
                SigningKeyRecord(kid: "tx-key", algorithm: "ES256", privateKeyPEM: "pem", createdAt: Fixture.t0)
            )
            _ = try await tx.loginThrottle.modify(key: "tx") { _ in
                LoginThrottleState(
                    failures: 1,
                    windowStartedAt: Fixture.t0,
                    hourFailures: 1,
                    hourStartedAt: Fixture.t0,
                    lockedUntil: nil
                )
            }
            // The transaction reads what it wrote.
            #expect(try await tx.users.find(email: "tx@example.com")?.roles == ["temp"])
            #expect(try await tx.users.permissions(userID: user.id) == ["temp:read"])
            return user
        }

        @Test(arguments: StoreKind.all)
        func aTransactionThatThrowsLeavesNothing(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let (existing, session) = try await Fixture.sessionWithUser(in: store)
                await #expect(throws: Boom.self) {
                    try await store.transaction { tx in
                        _ = try await Self.writeEverything(tx, existing: existing, session: session)
                        throw Boom()
                    }
                }
                #expect(try await store.roles.all() == [Role.admin, Role.user])
                #expect(try await store.users.list(UserQuery()).items == [existing])
                #expect(try await store.sessions.find(id: session.id) == session)
                #expect(try await store.sessions.findRefreshToken(hash: "hash-1")?.rotatedAt == nil)
                #expect(try await store.sessions.findRefreshToken(hash: "tx-token") == nil)
                #expect(try await store.audit.list(AuditQuery()).total == 0)
                #expect(try await store.serviceClients.list() == [])
                #expect(try await store.signingKeys.all() == [])
                #expect(try await store.loginThrottle.state(key: "tx") == nil)
            }
        }

        @Test(arguments: StoreKind.all)
        func aTransactionThatReturnsCommitsEverything(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let (existing, session) = try await Fixture.sessionWithUser(in: store)
                let user = try await store.transaction { tx in
                    try await Self.writeEverything(tx, existing: existing, session: session)
                }
                #expect(try await store.users.find(id: user.id) == user)
                #expect(try await store.users.find(id: existing.id)?.roles == ["admin"])
                #expect(try await store.users.find(id: existing.id)?.lastLoginAt == Fixture.at(99))
                #expect(try await store.roles.find(name: "temp") != nil)
                #expect(try await store.sessions.find(id: session.id)?.revokeReason == "tx")
                #expect(try await store.sessions.findRefreshToken(hash: "hash-1")?.rotatedAt == Fixture.at(99))
                #expect(try await store.sessions.findRefreshToken(hash: "tx-token") != nil)
                #expect(try await store.audit.list(AuditQuery()).items.map(\.action) == ["tx.test"])
                #expect(try await store.serviceClients.find(clientID: "svc_tx") != nil)
                #expect(try await store.signingKeys.all().map(\.kid) == ["tx-key"])
                #expect(try await store.loginThrottle.state(key: "tx")?.failures == 1)
            }
        }

        @Test(arguments: StoreKind.all)
        func aRefusedStatementRollsBackTheWritesBeforeIt(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                try await store.users.create(Fixture.user("taken@example.com"))
                await #expect(throws: AuthError.emailTaken) {
                    try await store.transaction { tx in
                        try await tx.users.create(Fixture.user("new@example.com"))
                        try await tx.audit.record(
                            AuditEvent(occurredAt: Fixture.t0, action: "user.created", outcome: .success)
                        )
                        try await tx.users.create(Fixture.user("taken@example.com"))
                    }
                }
                #expect(try await store.users.find(email: "new@example.com") == nil)
                #expect(try await store.audit.list(AuditQuery()).total == 0)
            }
        }

        /// Not on SQLite: its one connection is the transaction's until it ends, so a read from outside would wait for it.
        @Test(arguments: StoreKind.all.filter { $0 != .sqlite })
        func uncommittedWritesAreNotSeenFromOutside(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let user = Fixture.user("pending@example.com")
                try await store.transaction { tx in
                    try await tx.users.create(user)
                    #expect(try await tx.users.find(id: user.id) != nil)
                    #expect(try await store.users.find(id: user.id) == nil)
                }
                #expect(try await store.users.find(id: user.id) == user)
            }
        }

        @Test(arguments: StoreKind.all)
        func concurrentTransactionsAllCommit(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for n in 0..<10 {
                        group.addTask {
                            try await store.transaction { tx in
                                try await tx.audit.record(
                                    AuditEvent(occurredAt: Fixture.at(Double(n)), action: "tx.\(n)", outcome: .success)
                                )
                                _ = try await tx.loginThrottle.modify(key: "shared") { previous in
                                    LoginThrottleState(
                                        failures: (previous?.failures ?? 0) + 1,
                                        windowStartedAt: Fixture.t0,
                                        hourFailures: 0,
                                        hourStartedAt: Fixture.t0,
                                        lockedUntil: nil
                                    )
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(try await store.audit.list(AuditQuery()).total == 10)
                #expect(try await store.loginThrottle.state(key: "shared")?.failures == 10)
                try await store.ping()
            }
        }
    }
}
