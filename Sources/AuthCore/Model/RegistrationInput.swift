import Foundation

public struct RegistrationInput: Sendable {
    public var email: String
    public var password: String
    public var profile: ProfileChanges
    public init(email: String, password: String, profile: ProfileChanges = ProfileChanges()) {
        self.email = email
        self.password = password
        self.profile = profile
    }
}
