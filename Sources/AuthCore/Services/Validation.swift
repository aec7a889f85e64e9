import Foundation

public enum EmailAddress {
    /// Trims and lower-cases; nil when the address is not one (a practical RFC 5322 addr-spec:
    /// dot-atom local part, a domain of letters, digits and hyphens with at least one dot, at most 254 characters).
    public static func normalize(_ raw: String) -> String? {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard email.utf8.count <= 254, let at = email.lastIndex(of: "@") else { return nil }
        let local = email[..<at], domain = email[email.index(after: at)...]
        guard !local.isEmpty, local.utf8.count <= 64, !domain.isEmpty else { return nil }
        let localAllowed = Set("abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~-.")
        guard local.allSatisfy({ localAllowed.contains($0) }), !local.hasPrefix("."), !local.hasSuffix("."),
              !local.contains("..") else { return nil }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return nil }
        let labelAllowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        for label in labels {
            guard !label.isEmpty, label.count <= 63, label.allSatisfy({ labelAllowed.contains($0) }),
                  !label.hasPrefix("-"), !label.hasSuffix("-") else { return nil }
        }
        guard let tld = labels.last, tld.contains(where: { $0.isLetter }) else { return nil }
        return email
    }
}

/// Optional profile fields as a request sets them: absent (`nil`) leaves a field alone, `.some(nil)` clears it.
public struct ProfileChanges: Sendable, Equatable {
    public var displayName: String??
    public var givenName: String??
    public var familyName: String??
    public var locale: String??
    public var timezone: String??
    public var avatarURL: String??
    public init(displayName: String?? = nil, givenName: String?? = nil, familyName: String?? = nil,
                locale: String?? = nil, timezone: String?? = nil, avatarURL: String?? = nil) {
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
                errors.append(FieldError(field: field, code: "too_long", message: "At most \(max) characters."))
            } else if v.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                errors.append(FieldError(field: field, code: "invalid_characters", message: "Control characters are not allowed."))
            }
        }
        text(displayName, "display_name", max: 200)
        text(givenName, "given_name", max: 100)
        text(familyName, "family_name", max: 100)
        if case .some(.some(let v)) = locale,
           v.unicodeScalars.count > 35 || v.isEmpty || !v.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            errors.append(FieldError(field: "locale", code: "invalid_format", message: "A BCP 47 language tag such as en-GB."))
        }
        if case .some(.some(let v)) = timezone,
           v.unicodeScalars.count > 64 || v.isEmpty || !v.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/_+-".contains($0)) }) {
            errors.append(FieldError(field: "timezone", code: "invalid_format", message: "An IANA time zone such as Europe/Paris."))
        }
        if case .some(.some(let v)) = avatarURL {
            let url = URL(string: v)
            if v.unicodeScalars.count > 2048 || url == nil || !(url?.scheme == "https" || url?.scheme == "http") || url?.host == nil {
                errors.append(FieldError(field: "avatar_url", code: "invalid_format", message: "An absolute http(s) URL."))
            }
        }
        return errors
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
