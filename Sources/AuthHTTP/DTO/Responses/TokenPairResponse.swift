import AuthCore
import Hummingbird

/// What login and refresh answer.
struct TokenPairResponse: ResponseEncodable, Sendable {
    let accessToken: String
    let tokenType = "Bearer"
    let expiresIn: Int
    let refreshToken: String
    let refreshExpiresIn: Int
    let user: UserResponse

    enum CodingKeys: String, CodingKey {
        case user
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case refreshToken = "refresh_token"
        case refreshExpiresIn = "refresh_expires_in"
    }

    init(_ pair: TokenPair) {
        accessToken = pair.accessToken
        expiresIn = pair.expiresIn
        refreshToken = pair.refreshToken
        refreshExpiresIn = pair.refreshExpiresIn
        user = UserResponse(pair.user)
    }
}
