import Foundation

/// NIST SP 800-63B: length, not composition. At least 8 characters, at most 72 UTF-8 bytes (bcrypt's input;
/// longer is refused rather than silently truncated), no NUL, not a common password, not the email.
public struct PasswordPolicy: Sendable {
    public static let minimumCharacters = 8
    public static let maximumBytes = 72

    /// Entries of `AUTH_PASSWORD_BLOCKLIST_FILE`, checked besides the shipped list.
    private let extraBlocklist: Set<String>

    public init(extraBlocklist: [String] = []) {
        var list = Set<String>()
        for entry in extraBlocklist {
            let word = entry.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if !word.isEmpty { list.insert(word) }
        }
        self.extraBlocklist = list
    }

    /// Whether `password` (compared in lower case) is on the shipped list or the configured one.
    public func isCommon(_ password: String) -> Bool {
        let lowered = password.lowercased()
        return Self.commonPasswords.contains(lowered) || extraBlocklist.contains(lowered)
    }

    /// Loads `AUTH_PASSWORD_BLOCKLIST_FILE`, one password a line.
    public init(blocklistFile: String?) throws {
        guard let blocklistFile else {
            self.init()
            return
        }
        do {
            let text = try String(contentsOfFile: blocklistFile, encoding: .utf8)
            self.init(extraBlocklist: text.components(separatedBy: .newlines))
        } catch {
            throw ConfigurationError(variable: "AUTH_PASSWORD_BLOCKLIST_FILE", message: "cannot read \(blocklistFile)")
        }
    }

    public func check(_ password: String, email: String?, field: String = "password") -> [FieldError] {
        if password.contains("\0") {
            return [
                FieldError(
                    field: field,
                    code: "invalid_characters",
                    message: "The password must not contain NUL characters."
                )
            ]
        }
        // Characters are Unicode code points (NIST SP 800-63B §5.1.1.2), not grapheme clusters.
        if password.unicodeScalars.count < Self.minimumCharacters {
            return [
                FieldError(
                    field: field,
                    code: "too_short",
                    message: "The password must have at least \(Self.minimumCharacters) characters."
                )
            ]
        }
        if password.utf8.count > Self.maximumBytes {
            return [
                FieldError(
                    field: field,
                    code: "too_long",
                    message:
                        "The password must be at most \(Self.maximumBytes) bytes in UTF-8 (bcrypt ignores anything longer)."
                )
            ]
        }
        let lowered = password.lowercased()
        if isCommon(password) {
            return [
                FieldError(field: field, code: "too_common", message: "This password is too common; choose another.")
            ]
        }
        if let email,
            lowered == email.lowercased() || lowered == email.lowercased().split(separator: "@").first.map(String.init)
        {
            return [
                FieldError(field: field, code: "matches_email", message: "The password must not be the email address.")
            ]
        }
        return []
    }

    /// The shipped list (11,640 entries, `Resources/common-passwords.txt`, embedded in the binary), parsed once per
    /// process into a hash set: a lookup is one hash of the password, whatever the list's length; the memory is fixed
    /// at start.
    public static let commonPasswords: Set<String> = Set(
        String(decoding: PackageResources.common_passwords_txt, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .filter { !$0.hasPrefix("#") }
            .map(String.init)
    )
}
