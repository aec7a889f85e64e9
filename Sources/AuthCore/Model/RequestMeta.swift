import Foundation

/// Who asked, as far as the HTTP layer could tell; recorded in audit events and sessions.
public struct RequestMeta: Sendable, Equatable {
    public var ip: String?
    public var userAgent: String?
    public var requestID: String?
    public init(ip: String? = nil, userAgent: String? = nil, requestID: String? = nil) {
        self.ip = ip
        self.userAgent = userAgent.map { String($0.prefix(512)) }
        self.requestID = requestID
    }
}
