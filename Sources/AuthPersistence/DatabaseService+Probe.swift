import AsyncKit
import FluentKit
import Foundation
import NIOCore
import PostgresNIO
import SQLKit

extension DatabaseService {
    /// Runs `SELECT 1` within `timeout` (`authd config check`): nil when the database answers, else why not, in words
    /// that never hold the URL or its password.
    public func probe(timeout: Duration = .seconds(5)) async -> String? {
        do {
            try await selectOne(within: timeout)
            return nil
        } catch {
            return Self.reason(error, timeout: timeout)
        }
    }

    static func reason(_ error: any Error, timeout: Duration) -> String {
        switch error {
        case is DatabaseUnavailable:
            return "no answer within \(timeout)"
        case is ConnectionPoolTimeoutError, is AsyncKit.ConnectionPoolError:
            return "no connection could be opened"
        case let error as PSQLError:
            if error.code == .server {
                // The server's own words: "password authentication failed for user ...", "database ... does not exist".
                let message = error.serverInfo?[.message] ?? "refused"
                let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return "the server refused: \(message)\(state)"
            }
            if error.code == .connectionError, let underlying = error.underlying {
                return "cannot connect: \(Self.reason(underlying, timeout: timeout))"
            }
            return error.underlying.map { "\(error.code): \(Self.reason($0, timeout: timeout))" } ?? "\(error.code)"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode))
        case let error as ChannelError:
            return "\(error)"
        case let error as NIOConnectionError:
            // One error per address tried; the first says enough (the host and port are shown beside it).
            return error.connectionErrors.first.map { Self.reason($0.error, timeout: timeout) } ?? "no address to try"
        default:
            return "failed (\(String(reflecting: type(of: error))))"
        }
    }
}
