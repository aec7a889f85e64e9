import AuthCore
import AuthPersistence
import AuthTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@testable import AuthHTTP
@testable import AuthRuntime

@Suite struct OperationsTests {
    @Test(arguments: TestDatabase.all)
    func healthAndReadiness(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let health = try await api.call(.get, "/health")
            #expect(health.status == .ok && health.string("status") == "ok")
            let ready = try await api.call(.get, "/health/ready")
            #expect(ready.status == .ok && ready.string("status") == "ready")
        }
    }

    @Test func requestIDIsEchoedWhenSaneAndGeneratedOtherwise() async throws {
        try await withApp(.sqlite) { api, _ in
            let echoed = try await api.call(.get, "/health", headers: [.init("X-Request-ID")!: "abc-123"])
            #expect(echoed.header("X-Request-ID") == "abc-123")
            let generated = try await api.call(.get, "/health")
            #expect(UUID(uuidString: generated.header("X-Request-ID") ?? "") != nil)
            let hostile = try await api.call(.get, "/health", headers: [.init("X-Request-ID")!: "abc\"; drop table"])
            #expect(hostile.header("X-Request-ID") != "abc\"; drop table")
            let problem = try await api.call(.get, "/auth/me", headers: [.init("X-Request-ID")!: "req-42"])
            #expect(problem.string("request_id") == "req-42")
        }
    }

    @Test func securityHeadersOnEveryResponse() async throws {
        try await withApp(.sqlite) { api, _ in
            for path in ["/health", "/auth/me", "/nowhere"] {
                let r = try await api.call(.get, path)
                #expect(r.header("X-Content-Type-Options") == "nosniff")
                #expect(r.header("Referrer-Policy") == "no-referrer")
                #expect(r.header("Server") == nil)
            }
        }
    }

    @Test func unknownRouteIsAProblem404() async throws {
        try await withApp(.sqlite) { api, _ in
            let r = try await api.call(.get, "/nowhere")
            #expect(r.status == .notFound && r.code == "not_found")
            #expect(r.header("Content-Type") == "application/problem+json")
        }
    }

    @Test func metricsArePrometheusText() async throws {
        try await withApp(.sqlite) { api, _ in
            _ = try await api.call(.get, "/health")
            _ = try await api.login("nobody@example.com", "wrong password here")
            let r = try await api.call(.get, "/metrics")
            #expect(r.status == .ok)
            #expect(r.header("Content-Type")?.hasPrefix("text/plain") == true)
            #expect(r.text.contains("# TYPE authd_http_requests_total counter"))
            #expect(r.text.contains("authd_http_request_duration_seconds_bucket"))
            #expect(r.text.contains("authd_logins_total{outcome=\"failure\"}"))
            #expect(r.text.contains("authd_bcrypt_duration_seconds_bucket{operation=\"verify\""))
            // Every non-comment line is `name{labels} value`.
            for line in r.text.split(separator: "\n") where !line.hasPrefix("#") {
                let parts = line.split(separator: " ")
                #expect(parts.count == 2 && Double(parts[1]) != nil, "\(line)")
            }
        }
    }

    @Test func openAPIDocumentIsServed() async throws {
        try await withApp(.sqlite) { api, _ in
            let r = try await api.call(.get, "/openapi.yaml")
            #expect(r.status == .ok)
            #expect(r.text.contains("\nopenapi: 3.1") && r.text.contains("/auth/login:"))
        }
    }
}

@Suite struct CORSTests {
    @Test func onlyListedOriginsGetCORSHeaders() async throws {
        try await withApp(.sqlite, configure: { $0.corsOrigins = ["https://app.example", "https://admin.example"] }) {
            api,
            _ in
            let listed = try await api.call(.get, "/health", headers: [.origin: "https://admin.example"])
            #expect(
                listed.header("Access-Control-Allow-Origin") == "https://admin.example"
                    && listed.header("Vary") == "Origin"
            )
            let other = try await api.call(.get, "/health", headers: [.origin: "https://evil.example"])
            #expect(other.header("Access-Control-Allow-Origin") == nil)
            let preflight = try await api.call(
                .options,
                "/auth/login",
                headers: [.origin: "https://app.example", .accessControlRequestMethod: "POST"]
            )
            #expect(
                preflight.status == .noContent
                    && preflight.header("Access-Control-Allow-Origin") == "https://app.example"
            )
        }
        try await withApp(.sqlite) { api, _ in
            let unconfigured = try await api.call(.get, "/health", headers: [.origin: "https://app.example"])
            #expect(unconfigured.header("Access-Control-Allow-Origin") == nil)
        }
    }
}

@Suite struct MethodAndDateTests {
    @Test func aMethodAPathDoesNotSupportIs405WithAllow() async throws {
        try await withApp(.sqlite) { api, _ in
            let r = try await api.call(.patch, "/auth/me")
            #expect(r.status == .methodNotAllowed && r.code == "method_not_allowed")
            #expect(Set((r.header("Allow") ?? "").components(separatedBy: ", ")) == ["GET", "PUT"])
            let param = try await api.call(.post, "/admin/users/\(UUID())")
            #expect(
                param.status == .methodNotAllowed
                    && Set((param.header("Allow") ?? "").components(separatedBy: ", ")) == ["GET", "PUT", "DELETE"]
            )
            #expect(try await api.call(.get, "/no/such/path").status == .notFound)
        }
    }

    @Test(arguments: [
        "2026-01-31T00:00:00Z", "2026-01-31t00:00:00z", "0309-06-06T15:38:02.237258-21:08", "2026-01-31 00:00:00+23:59",
        "2026-01-31T00:00:00.5+05:30",
    ])
    func everyRFC3339FormIsAcceptedInFilters(_ value: String) async throws {
        try await withApp(.sqlite) { api, _ in
            let admin = try await api.admin().access
            let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(try await api.call(.get, "/admin/audit-events?since=\(encoded)", token: admin).status == .ok)
            #expect(try await api.call(.get, "/admin/users?created_after=\(encoded)", token: admin).status == .ok)
        }
    }

    @Test(arguments: [
        "2026-02-30T00:00:00Z", "2026-01-31T24:00:00Z", "2026-01-31T00:00:00+24:00", "2026-01-31", "yesterday",
        "2026-01-31T00:00:00",
    ])
    func invalidTimestampsAre422(_ value: String) async throws {
        try await withApp(.sqlite) { api, _ in
            let admin = try await api.admin().access
            let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(
                try await api.call(.get, "/admin/audit-events?since=\(encoded)", token: admin).status
                    == .unprocessableContent
            )
        }
    }

    @Test func lengthsCountCodePoints() async throws {
        try await withApp(.sqlite) { api, _ in
            // 8 code points but 7 grapheme clusters: long enough.
            #expect(try await api.register(uniqueEmail(), password: "xkcdqwz\u{301}").status == .created)
            // 201 code points in 101 grapheme clusters: too long for display_name (200).
            let name = String(repeating: "a\u{301}", count: 100) + "b"
            let r = try await api.register(uniqueEmail(), extra: ["display_name": name])
            #expect(r.status == .unprocessableContent && r.fieldErrors == ["display_name"])
        }
    }
}
