import AsyncKit
import FluentKit
import NIOCore
import PostgresNIO

/// Whether an error means the database could not be reached (as opposed to a query it refused).
public func isDatabaseUnavailable(_ error: any Error) -> Bool {
    if error is DatabaseUnavailable || error is ConnectionPoolTimeoutError || error is AsyncKit.ConnectionPoolError { return true }
    if let psql = error as? PSQLError { return psql.code != .server }
    if error is ChannelError { return true }
    return false
}
