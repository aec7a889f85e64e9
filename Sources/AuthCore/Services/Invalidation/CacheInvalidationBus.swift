import Foundation
import Synchronization

/// Carries invalidations to the other instances sharing the database.
public protocol CacheInvalidationBus: Sendable {
    /// Returns once the message is on its way; failures are logged, not thrown (the change itself is committed).
    func publish(_ message: CacheInvalidation) async
}
