import AsyncKit
import AuthCore
import FluentKit
import Logging
import NIOCore
import PostgresNIO

/// Whether an error means the database could not be reached (as opposed to a query it refused).
public func isDatabaseUnavailable(_ error: any Error) -> Bool {
    if error is DatabaseUnavailable || error is ConnectionPoolTimeoutError || error is AsyncKit.ConnectionPoolError {
        return true
    }
    if let psql = error as? PSQLError { return psql.code != .server }
    if error is ChannelError { return true }
    return false
}

/// A constraint the statement broke (unique keys: email, role name); repositories map it to their domain error.
func isUniqueViolation(_ error: any Error) -> Bool {
    (error as? any DatabaseError)?.isConstraintFailure == true
}

/// The error as the layers above AuthPersistence see it: a database that cannot be reached becomes
/// `AuthError.serviceUnavailable`; anything else passes unchanged. With a logger, the driver's error type is
/// logged when it is replaced, since nobody above sees it.
func domainError(_ error: any Error, logger: Logger? = nil) -> any Error {
    guard isDatabaseUnavailable(error) else { return error }
    logger?.error("database unavailable", metadata: ["error_type": .string(String(reflecting: type(of: error)))])
    return AuthError.serviceUnavailable
}

/// Runs `body`, passing what it throws through `domainError(_:logger:)`.
func translatingDatabaseErrors<T>(
    logger: Logger? = nil,
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> T
) async throws -> T {
    do {
        return try await body()
    } catch {
        throw domainError(error, logger: logger)
    }
}
