import Hummingbird

extension EditedResponse {
    /// An answer that carries a secret (a TOTP secret, recovery codes, a new token or client secret) or a state a
    /// cache must not replay: `Cache-Control: no-store`.
    static func noStore(_ response: Generator, status: HTTPResponse.Status? = nil) -> Self {
        EditedResponse(status: status, headers: [.cacheControl: "no-store"], response: response)
    }
}
