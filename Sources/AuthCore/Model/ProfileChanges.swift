import Foundation

/// Optional profile fields as a request sets them: absent (`nil`) leaves a field alone, `.some(nil)` clears it.
public struct ProfileChanges: Sendable, Equatable {
    public var displayName: String??
    public var givenName: String??
    public var familyName: String??
    public var locale: String??
    public var timezone: String??
    public var avatarURL: String??
    public init(
        displayName: String?? = nil,
        givenName: String?? = nil,
        familyName: String?? = nil,
        locale: String?? = nil,
        timezone: String?? = nil,
        avatarURL: String?? = nil
    ) {
        self.displayName = displayName
        self.givenName = givenName
        self.familyName = familyName
        self.locale = locale
        self.timezone = timezone
        self.avatarURL = avatarURL
    }

    public func validate() -> [FieldError] {
        var errors: [FieldError] = []
        func text(_ value: String??, _ field: String, max: Int) {
            guard case .some(.some(let v)) = value else { return }
            if v.unicodeScalars.count > max {
                errors.append(.tooLong(field, max: max))
            } else if v.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                errors.append(
                    FieldError(field: field, code: "invalid_characters", message: "Control characters are not allowed.")
                )
            }
        }
        text(displayName, "display_name", max: FieldLimits.displayName)
        text(givenName, "given_name", max: FieldLimits.givenName)
        text(familyName, "family_name", max: FieldLimits.familyName)
        if case .some(.some(let v)) = locale,
            v.unicodeScalars.count > FieldLimits.locale || v.isEmpty
                || !v.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        {
            errors.append(
                FieldError(field: "locale", code: "invalid_format", message: "A BCP 47 language tag such as en-GB.")
            )
        }
        if case .some(.some(let v)) = timezone,
            v.unicodeScalars.count > FieldLimits.timezone || v.isEmpty
                || !v.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/_+-".contains($0)) })
        {
            errors.append(
                FieldError(
                    field: "timezone",
                    code: "invalid_format",
                    message: "An IANA time zone such as Europe/Paris."
                )
            )
        }
        if case .some(.some(let v)) = avatarURL {
            let url = URL(string: v)
            if v.unicodeScalars.count > FieldLimits.avatarURL || url == nil
                || !(url?.scheme == "https" || url?.scheme == "http") || url?.host == nil
            {
                errors.append(
                    FieldError(field: "avatar_url", code: "invalid_format", message: "An absolute http(s) URL.")
                )
            }
        }
        return errors
    }

    /// The changes as they will be stored: trimmed, and a blank value clears the field.
    public var normalized: ProfileChanges {
        func clean(_ change: String??) -> String?? {
            guard case .some(let value) = change else { return nil }
            let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines)
            return .some((trimmed?.isEmpty ?? true) ? nil : trimmed)
        }
        return ProfileChanges(
            displayName: clean(displayName),
            givenName: clean(givenName),
            familyName: clean(familyName),
            locale: clean(locale),
            timezone: clean(timezone),
            avatarURL: clean(avatarURL)
        )
    }

    public func apply(to profile: inout UserProfile) {
        func set(_ change: String??, _ keyPath: WritableKeyPath<UserProfile, String?>) {
            if case .some(let value) = change {
                let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines)
                profile[keyPath: keyPath] = (trimmed?.isEmpty ?? true) ? nil : trimmed
            }
        }
        set(displayName, \.displayName)
        set(givenName, \.givenName)
        set(familyName, \.familyName)
        set(locale, \.locale)
        set(timezone, \.timezone)
        set(avatarURL, \.avatarURL)
    }
}
