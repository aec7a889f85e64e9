import AuthCore
import AuthPersistence
import Foundation
import Logging
import Testing

/// The SQLite database (password hashes, signing keys) is private to the service's user.
@Suite struct SQLiteFilesTests {
    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    @Test func aNewDataFolderIs0700AndTheDatabaseAndItsJournal0600() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("authd-perm-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("data/auth.sqlite").path
        var configuration = AuthConfiguration.testing()
        configuration.database = .sqlite(path: path)
        let service = try DatabaseService(configuration: configuration, logger: Logger(label: "test"))
        try await service.configureConnection()
        try await service.migrate()
        #expect(Self.mode(root.appendingPathComponent("data").path) == 0o700)
        #expect(Self.mode(path) == 0o600)
        for journal in [path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: journal) {
            #expect(Self.mode(journal) == 0o600, "\(journal)")
        }
        await service.shutdown()
        // An existing file left readable by others is made private again at the next start.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let again = try DatabaseService(configuration: configuration, logger: Logger(label: "test"))
        #expect(Self.mode(path) == 0o600)
        await again.shutdown()
    }
}
