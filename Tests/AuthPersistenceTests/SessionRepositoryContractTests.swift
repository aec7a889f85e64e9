import AuthCore
import AuthTestSupport
import Foundation
import Testing

extension RepositoryContractTests {
    @Suite struct Sessions {
        @Test(arguments: StoreKind.all)
        func aSessionReadsBackWithItsFirstRefreshToken(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let user = Fixture.user("s@example.com")
                try await store.users.create(user)
                let session = Session(
                    userID: user.id,
                    createdAt: Fixture.at(10),
                    lastUsedAt: Fixture.at(20),
                    expiresAt: Fixture.at(1000),
                    ip: "203.0.113.9",
                    userAgent: "Test/1.0"
                )
                try await store.sessions.create(session, refreshTokenHash: "first")
                #expect(try await store.sessions.find(id: session.id) == session)
                #expect(try await store.sessions.find(id: UUID()) == nil)
                let token = try #require(try await store.sessions.findRefreshToken(hash: "first"))
                #expect(token.sessionID == session.id && token.createdAt == Fixture.at(10))
                #expect(token.rotatedAt == nil && token.replacedBy == nil && token.successorUnused == false)
                #expect(try await store.sessions.findRefreshToken(hash: "other") == nil)
                // A session needs a user.
                await #expect(throws: (any Error).self) {
                    try await store.sessions.create(Fixture.session(of: UUID()), refreshTokenHash: "orphan")
                }
            }
        }

        @Test(arguments: StoreKind.all)
        func listShowsTheLiveSessionsOfTheUserNewestFirst(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let user = Fixture.user("list@example.com")
                let other = Fixture.user("other@example.com")
                try await store.users.create(user)
                try await store.users.create(other)
                let now = Fixture.at(1000)
                let idle: TimeInterval = 300
                let older = Fixture.session(of: user.id, createdAt: Fixture.at(100), lastUsedAt: Fixture.at(900))
                let newer = Fixture.session(of: user.id, createdAt: Fixture.at(200), lastUsedAt: Fixture.at(701))
                let revoked = Fixture.session(of: user.id, createdAt: Fixture.at(300), lastUsedAt: Fixture.at(950))
                let expired = Fixture.session(
                    of: user.id,
                    createdAt: Fixture.at(400),
                    lastUsedAt: Fixture.at(950),
                    expiresAt: now
                )
                let idleSession = Fixture.session(of: user.id, createdAt: Fixture.at(500), lastUsedAt: Fixture.at(700))
                let othersSession = Fixture.session(
                    of: other.id,
                    createdAt: Fixture.at(600),
                    lastUsedAt: Fixture.at(950)
                )
                for (n, s) in [older, newer, revoked, expired, idleSession, othersSession].enumerated() {
                    try await store.sessions.create(s, refreshTokenHash: "h\(n)")
                }
                #expect(try await store.sessions.revoke(id: revoked.id, reason: "logout", at: Fixture.at(960)))
                #expect(
                    try await store.sessions.list(userID: user.id, activeAt: now, idleTimeout: idle) == [newer, older]
                )
                #expect(
                    try await store.sessions.list(userID: other.id, activeAt: now, idleTimeout: idle) == [othersSession]
                )
                #expect(
                    try await store.sessions.list(userID: user.id, activeAt: Fixture.at(1002), idleTimeout: idle) == [
                        older
                    ]
                )
                #expect(try await store.sessions.list(userID: UUID(), activeAt: now, idleTimeout: idle) == [])
            }
        }

        @Test(arguments: StoreKind.all)
        func revokeSucceedsOnceAndKeepsTheFirstReason(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let (_, session) = try await Fixture.sessionWithUser(in: store)
                #expect(try await store.sessions.revoke(id: session.id, reason: "logout", at: Fixture.at(50)))
                #expect(try await store.sessions.revoke(id: session.id, reason: "again", at: Fixture.at(60)) == false)
                let found = try #require(try await store.sessions.find(id: session.id))
                #expect(found.revokedAt == Fixture.at(50) && found.revokeReason == "logout")
                #expect(try await store.sessions.revoke(id: UUID(), reason: "none", at: Fixture.at(60)) == false)
            }
        }

        @Test(arguments: StoreKind.all)
        func revokeAllRevokesTheLiveSessionsButOne(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let user = Fixture.user("all@example.com")
                let other = Fixture.user("other@example.com")
                try await store.users.create(user)
                try await store.users.create(other)
                let sessions = (0..<4).map { _ in Fixture.session(of: user.id) }
                let othersSession = Fixture.session(of: other.id)
                for (n, s) in (sessions + [othersSession]).enumerated() {
                    try await store.sessions.create(s, refreshTokenHash: "h\(n)")
                }
                _ = try await store.sessions.revoke(id: sessions[3].id, reason: "logout", at: Fixture.at(10))
                let revoked = try await store.sessions.revokeAll(
                    userID: user.id,
                    except: sessions[0].id,
                    reason: "password_changed",
                    at: Fixture.at(20)
                )
                #expect(Set(revoked) == [sessions[1].id, sessions[2].id] && revoked.count == 2)
                #expect(try await store.sessions.find(id: sessions[0].id)?.revokedAt == nil)
                #expect(try await store.sessions.find(id: sessions[1].id)?.revokeReason == "password_changed")
                #expect(try await store.sessions.find(id: sessions[2].id)?.revokedAt == Fixture.at(20))
                #expect(try await store.sessions.find(id: sessions[3].id)?.revokeReason == "logout")
                #expect(try await store.sessions.find(id: othersSession.id)?.revokedAt == nil)
                #expect(
                    try await store.sessions.revokeAll(
                        userID: user.id,
                        except: nil,
                        reason: "admin",
                        at: Fixture.at(30)
                    ) == [sessions[0].id]
                )
                #expect(
                    try await store.sessions.revokeAll(
                        userID: user.id,
                        except: nil,
                        reason: "admin",
                        at: Fixture.at(40)
                    ) == []
                )
            }
        }

        @Test(arguments: StoreKind.all)
        func aRotationClaimsTheTokenAddsItsSuccessorAndRecordsTheUse(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let (_, session) = try await Fixture.sessionWithUser(in: store, token: "h1")
                let first = try #require(try await store.sessions.findRefreshToken(hash: "h1"))
                let successor = Fixture.id(0x51)
                let rotated = try #require(
                    try await store.sessions.rotateRefreshToken(
                        hash: "h1",
                        at: Fixture.at(30),
                        successor: successor,
                        successorHash: "h2"
                    )
                )
                let expected = RefreshTokenRecord(
                    id: first.id,
                    sessionID: session.id,
                    createdAt: Fixture.t0,
                    rotatedAt: Fixture.at(30),
                    replacedBy: successor,
                    successorUnused: true
                )
                #expect(rotated == RefreshTokenRotation(token: expected, sessionLastUsedAt: session.lastUsedAt))
                #expect(try await store.sessions.findRefreshToken(hash: "h1") == expected)
                let second = try #require(try await store.sessions.findRefreshToken(hash: "h2"))
                #expect(second.id == successor && second.sessionID == session.id && second.rotatedAt == nil)
                #expect(try await store.sessions.find(id: session.id)?.lastUsedAt == Fixture.at(30))

                // Rotated once: a second rotation (or an unknown token) claims nothing and adds nothing.
                for hash in ["h1", "unknown"] {
                    #expect(
                        try await store.sessions.rotateRefreshToken(
                            hash: hash,
                            at: Fixture.at(40),
                            successor: Fixture.id(0x52),
                            successorHash: "h3"
                        ) == nil
                    )
                }
                #expect(try await store.sessions.findRefreshToken(hash: "h3") == nil)
                #expect(try await store.sessions.find(id: session.id)?.lastUsedAt == Fixture.at(30))
            }
        }

        @Test(arguments: StoreKind.all)
        func ofTwentyConcurrentRotationsExactlyOneWinsAndAddsOneSuccessor(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                _ = try await Fixture.sessionWithUser(in: store, token: "race")
                let winners = try await withThrowingTaskGroup(of: Int.self) { group in
                    for n in 0..<20 {
                        group.addTask {
                            let rotated = try await store.sessions.rotateRefreshToken(
                                hash: "race",
                                at: Fixture.at(Double(n)),
                                successor: UUID(),
                                successorHash: "next-\(n)"
                            )
                            return rotated == nil ? 0 : 1
                        }
                    }
                    return try await group.reduce(0, +)
                }
                #expect(winners == 1)
                var successors = 0
                for n in 0..<20 where try await store.sessions.findRefreshToken(hash: "next-\(n)") != nil {
                    successors += 1
                }
                #expect(successors == 1)
            }
        }

        @Test(arguments: StoreKind.all)
        func aTokenKnowsItsSuccessorIsUnusedUntilTheSuccessorIsRotated(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let (_, session) = try await Fixture.sessionWithUser(in: store, token: "h1")
                let second = Fixture.id(0x61)
                _ = try #require(
                    try await store.sessions.rotateRefreshToken(
                        hash: "h1",
                        at: Fixture.at(100),
                        successor: second,
                        successorHash: "h2"
                    )
                )
                #expect(try await store.sessions.findRefreshToken(hash: "h1")?.successorUnused == true)
                #expect(
                    try await store.sessions.findRefreshToken(hash: "h2")
                        == RefreshTokenRecord(
                            id: second,
                            sessionID: session.id,
                            createdAt: Fixture.at(100),
                            rotatedAt: nil,
                            replacedBy: nil,
                            successorUnused: false
                        )
                )

                _ = try #require(
                    try await store.sessions.rotateRefreshToken(
                        hash: "h2",
                        at: Fixture.at(200),
                        successor: Fixture.id(0x62),
                        successorHash: "h3"
                    )
                )
                #expect(try await store.sessions.findRefreshToken(hash: "h1")?.successorUnused == false)
                #expect(try await store.sessions.findRefreshToken(hash: "h1")?.replacedBy == second)
                #expect(try await store.sessions.findRefreshToken(hash: "h2")?.rotatedAt == Fixture.at(200))
                #expect(try await store.sessions.find(id: session.id)?.lastUsedAt == Fixture.at(200))
            }
        }

        @Test(arguments: StoreKind.all)
        func stateJoinsTheSessionTheUserAndItsCurrentRoles(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                try await store.roles.create(
                    Role(name: "reader", description: "Reads", permissions: ["users:read", "audit:read"])
                )
                let (user, session) = try await Fixture.sessionWithUser(
                    in: store,
                    email: "state@example.com",
                    roles: ["user", "reader"]
                )
                #expect(
                    try await store.sessions.state(sessionID: session.id)
                        == SessionState(
                            session: session,
                            userID: user.id,
                            email: "state@example.com",
                            userActive: true,
                            roles: ["reader", "user"],
                            permissions: ["audit:read", "users:read"]
                        )
                )

                try await store.users.setRoles(userID: user.id, roles: ["admin", "reader"])
                try await store.roles.update(Role(name: "reader", description: "Reads", permissions: ["users:read"]))
                var disabled = user
                disabled.isActive = false
                try await store.users.update(disabled)
                _ = try await store.sessions.revoke(id: session.id, reason: "test", at: Fixture.at(5))
                let state = try #require(try await store.sessions.state(sessionID: session.id))
                #expect(state.roles == ["admin", "reader"] && state.permissions == ["*", "users:read"])
                #expect(
                    state.userActive == false && state.session.revokedAt == Fixture.at(5)
                        && state.session.revokeReason == "test"
                )

                try await store.users.setRoles(userID: user.id, roles: [])
                let bare = try #require(try await store.sessions.state(sessionID: session.id))
                #expect(bare.roles == [] && bare.permissions == [] && bare.email == "state@example.com")
                #expect(try await store.sessions.state(sessionID: UUID()) == nil)
            }
        }

        @Test(arguments: StoreKind.all)
        func deleteExpiredRemovesSessionsEndedBeforeTheDateWithTheirTokens(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let user = Fixture.user("exp@example.com")
                try await store.users.create(user)
                let sessions = [10, 20, 30].map { Fixture.session(of: user.id, expiresAt: Fixture.at(Double($0))) }
                for (n, s) in sessions.enumerated() { try await store.sessions.create(s, refreshTokenHash: "h\(n)") }
                #expect(try await store.sessions.deleteExpired(before: Fixture.at(20)) == 1)
                #expect(try await store.sessions.find(id: sessions[0].id) == nil)
                #expect(try await store.sessions.findRefreshToken(hash: "h0") == nil)
                #expect(try await store.sessions.find(id: sessions[1].id) == sessions[1])
                #expect(try await store.sessions.deleteExpired(before: Fixture.at(20)) == 0)
                #expect(try await store.sessions.deleteExpired(before: Fixture.at(31)) == 2)
                #expect(try await store.sessions.list(userID: user.id, activeAt: Fixture.t0, idleTimeout: 3600) == [])
            }
        }
    }
}
