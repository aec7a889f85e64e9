import AuthCore

/// The profile members a body may carry. Absent leaves a field alone, `null` clears it.
struct ProfileFields: Decodable, Sendable {
    let display_name: String??
    let given_name: String??
    let family_name: String??
    let locale: String??
    let timezone: String??
    let avatar_url: String??

    static let maxLengths = [
        "display_name": FieldLimits.displayName, "given_name": FieldLimits.givenName,
        "family_name": FieldLimits.familyName, "locale": FieldLimits.locale, "timezone": FieldLimits.timezone,
        "avatar_url": FieldLimits.avatarURL,
    ]

    var changes: ProfileChanges {
        ProfileChanges(
            displayName: display_name,
            givenName: given_name,
            familyName: family_name,
            locale: locale,
            timezone: timezone,
            avatarURL: avatar_url
        )
    }
}
