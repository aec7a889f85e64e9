import AuthClient
import Foundation
import Hummingbird
import NIOCore

/// A request context that can carry the caller authd vouched for.
public protocol AuthClientRequestContext: RequestContext {
    var verifiedToken: VerifiedToken? { get set }
}

/// A ready-made context for services that need nothing else.
public struct AuthClientContext: AuthClientRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var verifiedToken: VerifiedToken?
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }
}
