import AuthCore
import AuthPersistence
import Foundation
import Logging
import SQLKit
import Testing

/// Which database a test runs on. PostgreSQL joins when `AUTHD_TEST_POSTGRES_URL` is set (as `.ci/run` does).
public enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    public var testDescription: String { rawValue }

    public static let postgresURL = ProcessInfo.processInfo.environment["AUTHD_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }
    public static var all: [TestDatabase] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
}

/// At most a few PostgreSQL-backed apps at once, so the suite stays under the server's connection limit.
public actor AsyncSemaphore {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []
    public init(_ count: Int) { available = count }
    public func wait() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }
    public func signal() {
        if waiters.isEmpty { available += 1 } else { waiters.removeFirst().resume() }
    }
}

public enum Scratch {
    public static let postgresSlots = AsyncSemaphore(3)

    /// A new, empty PostgreSQL database for one test; returns its URL.
    public static func createPostgresDatabase() async throws -> (url: String, name: String) {
        guard let base = TestDatabase.postgresURL, var components = URLComponents(string: base) else {
            throw ConfigurationError(variable: "AUTHD_TEST_POSTGRES_URL", message: "not set")
        }
        let name = "authd_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await withAdminDatabase { sql in try await sql.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
        components.path = "/" + name
        return (components.string!, name)
    }

    public static func dropPostgresDatabase(_ name: String) async {
        try? await withAdminDatabase { sql in
            try await sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run()
        }
    }

    public static func withAdminDatabase(_ body: (any SQLDatabase) async throws -> Void) async throws {
        var c = AuthConfiguration.testing()
        c.database = .postgres(url: TestDatabase.postgresURL!)
        c.databasePoolSize = 1
        let service = try DatabaseService(configuration: c, logger: Logger(label: "scratch"))
        do {
            try await body(service.database as! any SQLDatabase)
        } catch {
            await service.shutdown()
            throw error
        }
        await service.shutdown()
    }
}

/// Runs `body` with `configuration` pointed at a fresh database of the given kind: SQLite as configured (in memory
/// by default), or a scratch PostgreSQL database, created for this call and dropped after it.
public func withScratchDatabase<T: Sendable>(
    _ kind: TestDatabase,
    _ configuration: AuthConfiguration,
    _ body: (AuthConfiguration) async throws -> T
) async throws -> T {
    guard kind == .postgres else { return try await body(configuration) }
    await Scratch.postgresSlots.wait()
    var configuration = configuration
    let scratch: (url: String, name: String)
    do {
        scratch = try await Scratch.createPostgresDatabase()
    } catch {
        await Scratch.postgresSlots.signal()
        throw error
    }
    configuration.database = .postgres(url: scratch.url)
    func cleanUp() async {
        await Scratch.dropPostgresDatabase(scratch.name)
        await Scratch.postgresSlots.signal()
    }
    do {
        let result = try await body(configuration)
        await cleanUp()
        return result
    } catch {
        await cleanUp()
        throw error
    }
}

/// A database service on a fresh database of the given kind; shut down (and dropped) after `body`.
public func withDatabase<T: Sendable>(
    _ kind: TestDatabase,
    _ body: (DatabaseService) async throws -> T
) async throws -> T {
    var configuration = AuthConfiguration.testing()
    configuration.databasePoolSize = 4
    return try await withScratchDatabase(kind, configuration) { configuration in
        let service = try DatabaseService(configuration: configuration, logger: Logger(label: "test"))
        do {
            let result = try await body(service)
            await service.shutdown()
            return result
        } catch {
            await service.shutdown()
            throw error
        }
    }
}
