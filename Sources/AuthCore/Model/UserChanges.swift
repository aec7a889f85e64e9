import Foundation

/// The columns of a user that one write changes; nil leaves a column as it is. Writes name only what they change,
/// so that two concurrent changes of different fields both stand (a disable is never undone by a profile edit).
public struct UserChanges: Sendable, Equatable {
    public var email: String?
    /// Already normalised (see `ProfileChanges.normalized`): `.some(nil)` clears a field.
    public var profile: ProfileChanges
    public var isActive: Bool?
    public var isVerified: Bool?
    public var updatedAt: Date

    public init(
        email: String? = nil,
        profile: ProfileChanges = ProfileChanges(),
        isActive: Bool? = nil,
        isVerified: Bool? = nil,
        updatedAt: Date
    ) {
        self.email = email
        self.profile = profile
        self.isActive = isActive
        self.isVerified = isVerified
        self.updatedAt = updatedAt
    }

    /// Every column a user's row holds besides the password, roles and login time: as `user` has them.
    public init(everythingOf user: User) {
        self.init(
            email: user.email,
            profile: ProfileChanges(
                displayName: .some(user.profile.displayName),
                givenName: .some(user.profile.givenName),
                familyName: .some(user.profile.familyName),
                locale: .some(user.profile.locale),
                timezone: .some(user.profile.timezone),
                avatarURL: .some(user.profile.avatarURL)
            ),
            isActive: user.isActive,
            isVerified: user.isVerified,
            updatedAt: user.updatedAt
        )
    }

    /// Whether the write changes anything but the time.
    public var isEmpty: Bool {
        email == nil && profile == ProfileChanges() && isActive == nil && isVerified == nil
    }
}
