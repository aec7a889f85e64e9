import Foundation

public struct UserProfile: Sendable, Equatable {
    public var displayName: String?
    public var givenName: String?
    public var familyName: String?
    public var locale: String?
    public var timezone: String?
    public var avatarURL: String?
    public init(
        displayName: String? = nil,
        givenName: String? = nil,
        familyName: String? = nil,
        locale: String? = nil,
        timezone: String? = nil,
        avatarURL: String? = nil
    ) {
        self.displayName = displayName
        self.givenName = givenName
        self.familyName = familyName
        self.locale = locale
        self.timezone = timezone
        self.avatarURL = avatarURL
    }

    /// The names of the fields that differ from `other`, as the API spells them.
    public func changedFields(comparedTo other: UserProfile) -> [String] {
        var fields: [String] = []
        if displayName != other.displayName { fields.append("display_name") }
        if givenName != other.givenName { fields.append("given_name") }
        if familyName != other.familyName { fields.append("family_name") }
        if locale != other.locale { fields.append("locale") }
        if timezone != other.timezone { fields.append("timezone") }
        if avatarURL != other.avatarURL { fields.append("avatar_url") }
        return fields
    }
}
