import AuthCore
import AuthHTTP
import AuthPersistence
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

final class CapturedLines: Sendable {
    let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
}

@Suite struct LoggingTests {
    @Test(arguments: [AuthConfiguration.LogFormat.json, .text])
    func noSecretReachesTheLogsAtAnyLevel(_ format: AuthConfiguration.LogFormat) async throws {
        let captured = CapturedLines()
        var logger = Logger(label: "authd-test") { label in
            LineLogHandler(label: label, format: format == .json ? .json : .text, write: { captured.append($0) })
        }
        logger.logLevel = .trace
        var configuration = testConfiguration()
        configuration.logLevel = "trace"
        let app = try await buildApplication(configuration: configuration, logger: logger)
        let secrets = try await app.application.test(.router) { client in
            let api = TestAPI(client: client)
            let password = "unique-passphrase-\(UUID().uuidString.prefix(8))"
            let email = uniqueEmail()
            _ = try await api.register(email, password: password)
            _ = try await api.login(email, "wrong-\(password)")
            let tokens = try await api.loginTokens(email, password)
            let refreshed = try await api.refresh(tokens.refresh)
            let admin = try await api.admin()
            let svc = try await api.serviceClient(admin: admin.access)
            _ = try await api.verify(tokens.access, client: svc)
            _ = try await api.call(.get, "/auth/me", headers: [.authorization: "Bearer \(tokens.access)x"])
            let stored = try await app.services.store.users.find(email: email)
            return [
                password, "wrong-\(password)", tokens.access, tokens.refresh, refreshed.string("refresh_token") ?? "-",
                admin.access, svc.secret, adminPassword, stored?.passwordHash ?? "-", SecureToken.hash(tokens.refresh),
            ]
        }
        let lines = captured.all
        #expect(lines.count > 8)
        for line in lines {
            for secret in secrets { #expect(!line.contains(secret), "a secret in: \(line)") }
            #expect(!line.lowercased().contains("authorization"))
            #expect(!line.contains("SELECT") && !line.contains("INSERT"))
        }
        guard format == .json else {
            // One line per event: timestamp, level, label, sorted metadata, source, message.
            let request = try #require(lines.first { $0.hasSuffix(" request") && $0.contains(" route=/auth/login ") })
            #expect(request.contains(" info authd-test :") && request.contains("[AuthHTTP]"), "\(request)")
            for key in ["request_id", "method", "route", "status", "duration_ms"] {
                #expect(request.contains(" \(key)="), "\(key)")
            }
            #expect(request.prefix(24).wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(request)")
            #expect(!request.contains("hb.request.id"))
            return
        }
        // One JSON object per line, with the request fields.
        let request = try #require(
            lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .first { $0["message"] as? String == "request" && $0["route"] as? String == "/auth/login" }
        )
        for key in ["timestamp", "level", "request_id", "method", "route", "status", "duration_ms"] {
            #expect(request[key] != nil, "\(key)")
        }
        // RFC 3339 in UTC with milliseconds, and one request id.
        let timestamp = try #require(request["timestamp"] as? String)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(timestamp)")
        #expect(request["hb.request.id"] == nil)
    }
}
