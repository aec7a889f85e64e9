/// `POST /auth/logout`; the body is optional.
struct LogoutRequest: RequestBody {
    let all_sessions: Bool?

    static let maxLengths: [String: Int] = [:]
    static let refusesUnknownMembers = false
}
