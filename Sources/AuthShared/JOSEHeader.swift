import Foundation
import JWTKit

/// The JOSE header fields a verifier looks at before trusting anything else.
public struct JOSEHeader: Decodable, Sendable {
    public var alg: String?
    public var kid: String?
    public var typ: String?
    public var crit: [String]?

    /// Decodes the header of a compact JWS, or nil when it is not one.
    public init?(token: some StringProtocol) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Data(base64URLEncoded: parts[0]),
            let header = try? JSONDecoder().decode(JOSEHeader.self, from: data)
        else { return nil }
        self = header
    }

    /// `typ` is `at+jwt` (RFC 9068), no `crit` we would have to understand, and a `kid` and `alg` present.
    public var isAccessTokenHeader: Bool {
        guard let typ = typ?.lowercased(), typ == "at+jwt" || typ == "application/at+jwt" else { return false }
        return (crit ?? []).isEmpty && kid != nil && alg != nil
    }
}
