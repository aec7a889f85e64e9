import Hummingbird

/// `POST /auth/register`: `{"user": User}`.
struct RegisteredResponse: ResponseEncodable, Sendable {
    let user: UserResponse
}
