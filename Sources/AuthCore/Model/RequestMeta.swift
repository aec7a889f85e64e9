import Foundation

/// Who asked, as far as the HTTP layer could tell; recorded in audit events and sessions.
public struct RequestMeta: Sendable, Equatable {
    public var ip: String?
    public var userAgent: String?
    public var requestID: String?
    /// The operating-system user who ran an `authd` operator command; nil for HTTP requests. Every audit event of the
    /// command carries it as the details `via: cli` and `os_user`.
    public var osUser: String?
    public init(ip: String? = nil, userAgent: String? = nil, requestID: String? = nil, osUser: String? = nil) {
        self.ip = ip
        // Stored with the session: at most 512 characters, and no U+0000 (which PostgreSQL's text cannot hold).
        self.userAgent = userAgent.map {
            String(String.UnicodeScalarView($0.unicodeScalars.prefix(512).map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }))
        }
        self.requestID = requestID
        self.osUser = osUser
    }
}
