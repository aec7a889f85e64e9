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
import NIOCore
import SQLKit
import Testing

let adminEmail = "root-admin@example.com"
let adminPassword = "Bootstrap-admin-passphrase-1"
let defaultPassword = "correct horse battery staple"

/// A test configuration: fast bcrypt, no per-IP limits, a bootstrap admin.
func testConfiguration() -> AuthConfiguration {
    var c = AuthConfiguration.testing()
    c.bootstrapAdminEmail = adminEmail
    c.bootstrapAdminPassword = adminPassword
    c.issuer = "http://authd.test"
    c.logLevel = "critical"
    c.databasePoolSize = 2
    return c
}

/// Builds an app on a fresh database, runs `body` against its router (or a live loopback server), shuts it all down.
func withApp<T: Sendable>(
    _ database: TestDatabase,
    clock: (any AuthClock)? = nil,
    over testing: TestingSetup = .router,
    mail: CapturingMailTransport = CapturingMailTransport(),
    configure: (inout AuthConfiguration) -> Void = { _ in },
    _ body: @Sendable (TestAPI, AuthApp) async throws -> T
) async throws -> T {
    var configuration = testConfiguration()
    configure(&configuration)
    return try await withScratchDatabase(database, configuration) { configuration in
        let app = try await buildApplication(
            configuration: configuration,
            clock: clock ?? SystemClock(),
            mailTransport: mail
        )
        return try await app.application.test(testing) { client in
            try await body(TestAPI(client: client), app)
        }
    }
}

/// A response, with its body as text and JSON.
struct HTTPResult: @unchecked Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let text: String

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }
    var code: String? { json["code"] as? String }
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
    subscript(key: String) -> Any? { json[key] }
    func string(_ key: String) -> String? { json[key] as? String }
    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
    var fieldErrors: [String] { (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } }
}

struct Tokens: Sendable {
    let access: String
    let refresh: String
    let userID: String
}

/// Calls the API the way a client would.
struct TestAPI: Sendable {
    let client: any TestClientProtocol

    @discardableResult
    func call(
        _ method: HTTPRequest.Method,
        _ path: String,
        json: [String: any Sendable]? = nil,
        raw: String? = nil,
        token: String? = nil,
        headers: HTTPFields = [:],
        contentType: String = "application/json"
    ) async throws -> HTTPResult {
        var headers = headers
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        } else if let raw {
            body = ByteBuffer(string: raw)
        }
        if body != nil, headers[.contentType] == nil { headers[.contentType] = contentType }
        if let token { headers[.authorization] = "Bearer \(token)" }
        let response = try await client.executeRequest(uri: path, method: method, headers: headers, body: body)
        return HTTPResult(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    func register(
        _ email: String = uniqueEmail(),
        password: String = defaultPassword,
        extra: [String: any Sendable] = [:]
    ) async throws -> HTTPResult {
        var body: [String: any Sendable] = ["email": email, "password": password]
        body.merge(extra) { $1 }
        return try await call(.post, "/auth/register", json: body)
    }

    func login(
        _ email: String,
        _ password: String = defaultPassword,
        headers: HTTPFields = [:]
    ) async throws -> HTTPResult {
        try await call(.post, "/auth/login", json: ["email": email, "password": password], headers: headers)
    }

    func refresh(_ token: String) async throws -> HTTPResult {
        try await call(.post, "/auth/refresh", json: ["refresh_token": token])
    }

    /// Registers and logs in a new user.
    func newUser(
        email: String = uniqueEmail(),
        password: String = defaultPassword
    ) async throws -> (email: String, tokens: Tokens) {
        let registered = try await register(email, password: password)
        #expect(registered.status == .created, "\(registered.text)")
        let tokens = try await loginTokens(email, password)
        return (email, tokens)
    }

    func loginTokens(_ email: String, _ password: String = defaultPassword) async throws -> Tokens {
        let r = try await login(email, password)
        #expect(r.status == .ok, "\(r.text)")
        let user = r["user"] as? [String: Any]
        return Tokens(
            access: r.string("access_token") ?? "",
            refresh: r.string("refresh_token") ?? "",
            userID: user?["id"] as? String ?? ""
        )
    }

    func admin() async throws -> Tokens { try await loginTokens(adminEmail, adminPassword) }

    func serviceClient(admin: String) async throws -> (id: String, secret: String) {
        let r = try await call(
            .post,
            "/admin/service-clients",
            json: ["name": "svc-\(UUID().uuidString.prefix(6))"],
            token: admin
        )
        #expect(r.status == .created, "\(r.text)")
        return (r.string("client_id") ?? "", r.string("client_secret") ?? "")
    }

    func verify(
        _ token: String,
        client: (id: String, secret: String)?,
        required: [String]? = nil
    ) async throws -> HTTPResult {
        var headers: HTTPFields = [:]
        if let client {
            headers[.authorization] = "Basic " + Data("\(client.id):\(client.secret)".utf8).base64EncodedString()
        }
        var body: [String: any Sendable] = ["token": token]
        if let required { body["required_permissions"] = required }
        return try await call(.post, "/auth/verify", json: body, headers: headers)
    }
}

func uniqueEmail() -> String { "user-\(UUID().uuidString.prefix(12).lowercased())@example.com" }
