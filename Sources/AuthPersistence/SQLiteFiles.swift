import Foundation
import Logging

/// The SQLite file holds password hashes and signing keys: its folder is made private to the service's user (0700)
/// when authd creates it, and the database and its journal files are 0600 (SQLite gives the `-wal` and `-shm`
/// files it creates the database file's mode).
enum SQLiteFiles {
    static func prepare(_ path: String, logger: Logger) throws {
        let files = FileManager.default
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !files.fileExists(atPath: directory) {
            try files.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } else if let mode = (try? files.attributesOfItem(atPath: directory))?[.posixPermissions] as? Int,
            mode & 0o077 != 0
        {
            logger.warning(
                "the database folder can be read by other users; make it private (chmod 700)",
                metadata: ["path": .string(directory)]
            )
        }
        if !files.fileExists(atPath: path) {
            guard files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteNoPermission)
            }
        }
        for file in [path, path + "-wal", path + "-shm", path + "-journal"] where files.fileExists(atPath: file) {
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        }
    }
}
