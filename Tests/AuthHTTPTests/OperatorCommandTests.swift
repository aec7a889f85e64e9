import AuthCore
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Logging
import Testing

/// The operator's commands (`authd users ...`, `authd audit tail`) against a running app on SQLite and PostgreSQL.
/// The commands and the app share one `AuthServices`, as a CLI process and a server share the database and the
/// invalidation bus: a change made by a command is seen by the app's very next request.
@Suite struct OperatorCommandTests {
    static let osUser = "night-operator"

    static func commands(_ app: AuthApp) -> OperatorCommands {
        OperatorCommands(services: app.services, osUser: osUser)
    }

    @Test(arguments: TestDatabase.all)
    func unlockLetsALockedOutAccountLogInAgain(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.loginMaxFailures = 3 }) { api, app in
            let (email, _) = try await api.newUser()
            for _ in 0..<3 { #expect(try await api.login(email, "not the password at all").status == .unauthorized) }
            let locked = try await api.login(email)
            #expect(locked.status == .tooManyRequests && locked.code == "login_throttled")
            let shown = try await Self.commands(app).showUser(email)
            #expect(shown.contains("locked until"), "\(shown)")
            let output = try await Self.commands(app).unlock(email.uppercased())
            #expect(output.hasPrefix("unlocked \(email) (it was locked until "), "\(output)")
            #expect(try await api.login(email).status == .ok)
            let again = try await Self.commands(app).unlock(email)
            #expect(again == "\(email) was not locked out; its failed logins are cleared")
        }
    }

    @Test(arguments: TestDatabase.all)
    func disableRefusesTheUsersTokenAtOnceAndEnableLetsThemBackIn(_ db: TestDatabase) async throws {
        try await withApp(db) { api, app in
            let admin = try await api.admin()
            let svc = try await api.serviceClient(admin: admin.access)
            let (email, tokens) = try await api.newUser()
            #expect(try await api.call(.get, "/auth/me", token: tokens.access).status == .ok)
            let output = try await Self.commands(app).disable(email)
            #expect(output == "disabled \(email); 1 session(s) ended")
            // The very next request: no waiting for a cache to expire.
            #expect(try await api.call(.get, "/auth/me", token: tokens.access).status == .unauthorized)
            #expect(try await api.verify(tokens.access, client: svc).json["active"] as? Bool == false)
            #expect(try await api.refresh(tokens.refresh).status == .unauthorized)
            #expect(try await api.login(email).status == .unauthorized)
            #expect(try await Self.commands(app).enable(email) == "enabled \(email)")
            #expect(try await api.login(email).status == .ok)
            // The old session stays ended.
            #expect(try await api.call(.get, "/auth/me", token: tokens.access).status == .unauthorized)
        }
    }

    /// The command line as its own process does it: a runtime of its own on the server's database. On PostgreSQL its
    /// change reaches the running server by `NOTIFY`: the server caches state for 300 s while it listens, so only the
    /// notification can end the token within the wait. On a SQLite file the server re-reads the state within
    /// `AUTH_STATE_CACHE_TTL_MS` (500 ms).
    @Test(arguments: TestDatabase.all)
    func aDisableFromAnotherProcessIsSeenByTheRunningServer(_ db: TestDatabase) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("authd-cli-\(UUID())/auth.sqlite")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let configure: (inout AuthConfiguration) -> Void = {
            $0.database = .sqlite(path: file.path)
            $0.stateCacheNotifiedTTLMilliseconds = 300_000
        }
        try await withApp(db, configure: configure) { api, app in
            if db == .postgres { #expect(await eventually { app.services.invalidations.isListening }) }
            let (email, tokens) = try await api.newUser()
            #expect(try await api.call(.get, "/auth/me", token: tokens.access).status == .ok)
            let cli = try await AuthRuntime.start(
                configuration: app.runtime.configuration,
                logger: Logger(label: "authd-cli-test"),
                preparation: .none
            )
            let output = try await OperatorCommands(services: cli.services, osUser: Self.osUser).disable(email)
            await cli.shutdown()
            #expect(output == "disabled \(email); 1 session(s) ended")
            #expect(
                await eventually(seconds: 5) {
                    (try? await api.call(.get, "/auth/me", token: tokens.access).status) == .unauthorized
                }
            )
        }
    }

    @Test(arguments: TestDatabase.all)
    func setRolesChangesWhatVerifyAnswersUnderTheAPIsRules(_ db: TestDatabase) async throws {
        try await withApp(db) { api, app in
            let admin = try await api.admin()
            let svc = try await api.serviceClient(admin: admin.access)
            let (email, tokens) = try await api.newUser()
            let before = try await api.verify(tokens.access, client: svc)
            #expect(before.json["roles"] as? [String] == ["user"])
            let output = try await Self.commands(app).setRoles(email, roles: ["admin", "user"])
            #expect(output == "\(email) now has the roles: admin, user")
            let after = try await api.verify(tokens.access, client: svc, required: ["users:write"])
            #expect(after.json["roles"] as? [String] == ["admin", "user"], "\(after.text)")
            #expect(after.json["allowed"] as? Bool == true)
            // Unknown roles are refused, and so is taking `*` from the last holder (the bootstrap admin and `email`
            // hold it now; without `email` the bootstrap admin is the last).
            await #expect(throws: AuthError.self) { try await Self.commands(app).setRoles(email, roles: ["nope"]) }
            _ = try await Self.commands(app).setRoles(email, roles: [])
            #expect(try await api.verify(tokens.access, client: svc).json["roles"] as? [String] == [])
            await #expect(throws: AuthError.lastAdmin) {
                try await Self.commands(app).setRoles(adminEmail, roles: ["user"])
            }
            await #expect(throws: OperatorError("no user with email ghost@example.com")) {
                try await Self.commands(app).setRoles("ghost@example.com", roles: ["user"])
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func revokeSessionsEndsEverySession(_ db: TestDatabase) async throws {
        try await withApp(db) { api, app in
            let (email, first) = try await api.newUser()
            let second = try await api.loginTokens(email)
            let output = try await Self.commands(app).revokeSessions(email)
            #expect(output == "ended 2 session(s) of \(email)")
            for tokens in [first, second] {
                #expect(try await api.call(.get, "/auth/me", token: tokens.access).status == .unauthorized)
                #expect(try await api.refresh(tokens.refresh).status == .unauthorized)
            }
            // The account itself is untouched.
            #expect(try await api.login(email).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func resetMFARemovesTheSecondFactor(_ db: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await withApp(db, clock: clock) { api, app in
            let enrolled = try await MFATests.enrolled(api, clock)
            _ = try await MFATests.mfaToken(api, enrolled.email)
            #expect(try await Self.commands(app).showUser(enrolled.email).contains("mfa           on since"))
            let output = try await Self.commands(app).resetMFA(enrolled.email)
            #expect(output == "removed the second factor of \(enrolled.email)")
            #expect(try await api.login(enrolled.email).status == .ok)
            await #expect(throws: AuthError.mfaNotEnabled) { try await Self.commands(app).resetMFA(enrolled.email) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func listAndShowFindUsersAsTablesAndAsTheAPIsJSON(_ db: TestDatabase) async throws {
        try await withApp(db) { api, app in
            let tag = "op\(UUID().uuidString.prefix(6).lowercased())"
            let (email, _) = try await api.newUser(email: "\(tag)-ada@example.com")
            let commands = Self.commands(app)
            let table = try await commands.listUsers(search: tag)
            let lines = table.split(separator: "\n")
            #expect(lines.count == 2 && lines[0].hasPrefix("EMAIL ") && lines[1].hasPrefix(email), "\(table)")
            let admins = try await commands.listUsers(role: "admin", format: .json)
            let page = try #require(try JSONSerialization.jsonObject(with: Data(admins.utf8)) as? [String: Any])
            let items = page["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["email"] as? String } == [adminEmail] && page["total"] as? Int == 1)
            let user = try await app.services.store.users.find(email: email)
            let byID = try await commands.showUser(try #require(user?.id.uuidString), format: .json)
            let shown = try #require(try JSONSerialization.jsonObject(with: Data(byID.utf8)) as? [String: Any])
            #expect(shown["email"] as? String == email && shown["roles"] as? [String] == ["user"])
            #expect(try await commands.showUser(email).contains("sessions      1 active"))
            await #expect(throws: OperatorError("no user with email nobody@example.com")) {
                try await commands.showUser("Nobody@Example.com")
            }
            await #expect(throws: OperatorError("no user with id 00000000-0000-0000-0000-000000000001")) {
                try await commands.showUser("00000000-0000-0000-0000-000000000001")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func auditTailShowsTheCommandLinesEventsWithTheOSUserAndFollows(_ db: TestDatabase) async throws {
        try await withApp(db) { api, app in
            let (email, _) = try await api.newUser()
            let commands = Self.commands(app)
            _ = try await commands.disable(email)
            let (table, cursor) = try await commands.auditTail(count: 3)
            let last = try #require(table.split(separator: "\n").last.map(String.init))
            #expect(last.contains("user.updated") && last.contains(email), "\(table)")
            #expect(last.contains("cli (\(Self.osUser))") && last.contains("fields=is_active"), "\(last)")
            // JSON: one API audit item a line; no actor id, the command line and the OS user in the details.
            let json = try await commands.auditTail(count: 1, format: .json).output
            let event = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let details = event["details"] as? [String: String] ?? [:]
            #expect(event["action"] as? String == "user.updated" && event["actor_id"] is NSNull)
            #expect(details["via"] == "cli" && details["os_user"] == Self.osUser)
            #expect(event["user_agent"] as? String == "authd-cli/\(BuildInfo.version)")
            // Following: nothing new, then only what happened since.
            let quiet = try await commands.auditEvents(after: cursor)
            #expect(quiet.output.isEmpty && quiet.cursor == cursor)
            _ = try await commands.unlock(email)
            _ = try await commands.enable(email)
            let next = try await commands.auditEvents(after: cursor)
            let actions = next.output.split(separator: "\n").map {
                $0.split(separator: " ", omittingEmptySubsequences: true)[2]
            }
            #expect(actions == ["user.unlocked", "user.updated"], "\(next.output)")
            #expect(try await commands.auditEvents(after: next.cursor).output.isEmpty)
            // The same events are what GET /admin/audit-events answers.
            let admin = try await api.admin()
            let listed = try await api.call(.get, "/admin/audit-events?action=user.unlocked", token: admin.access)
            let item = try #require(listed.items.first)
            #expect((item["details"] as? [String: String])?["os_user"] == Self.osUser)
        }
    }
}
