import AuthCore
import Hummingbird
import Logging
import NIOCore

/// The request context of every route: the authenticated principal (once a middleware sets it),
/// the client address as we believe it, and the request id.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    public var requestID: String = ""
    public var clientIP: String?
    /// The socket's peer, before any X-Forwarded-For is considered.
    public let peerIP: String?
    public var serviceClientID: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peerIP = source.channel.remoteAddress?.ipAddress
        self.clientIP = peerIP
    }

    public var requestDecoder: StrictRequestDecoder { StrictRequestDecoder() }
    public var responseEncoder: SortedJSONResponseEncoder { SortedJSONResponseEncoder() }

    /// Bodies above 64 KB are refused with 413 before they are read in full.
    public var maxUploadSize: Int { 64 * 1024 }

    public func meta(_ request: Request) -> RequestMeta {
        RequestMeta(ip: clientIP, userAgent: request.headers[.userAgent], requestID: requestID)
    }

    public func requirePrincipal() throws -> Principal {
        guard let principal else { throw AuthError.invalidToken }
        return principal
    }

    /// The caller, signed in with a session: a personal access token is refused (403 `session_required`) before
    /// the body is read.
    public func requireSessionPrincipal() throws -> Principal {
        let principal = try requirePrincipal()
        _ = try principal.requireSession()
        return principal
    }
}
