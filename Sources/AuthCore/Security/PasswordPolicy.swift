import Foundation

/// NIST SP 800-63B: length, not composition. At least 8 characters, at most 72 UTF-8 bytes (bcrypt's input;
/// longer is refused rather than silently truncated), no NUL, not a common password, not the email.
public struct PasswordPolicy: Sendable {
    public static let minimumCharacters = 8
    public static let maximumBytes = 72

    private let blocklist: Set<String>

    public init(extraBlocklist: [String] = []) {
        var list = Set(Self.commonPasswords)
        for entry in extraBlocklist {
            let word = entry.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if !word.isEmpty { list.insert(word) }
        }
        self.blocklist = list
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
        if blocklist.contains(lowered) {
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

    /// The most common leaked passwords of at least eight characters (shorter ones fail on length anyway).
    static let commonPasswords: [String] = [
        "password", "12345678", "123456789", "1234567890", "qwertyuiop", "password1", "password123", "iloveyou",
        "sunshine", "princess", "football", "baseball", "welcome1", "welcome123", "abc12345", "abcd1234",
        "qwerty123", "1q2w3e4r", "1q2w3e4r5t", "11111111", "00000000", "88888888", "87654321", "12341234",
        "superman", "trustno1", "starwars", "whatever", "passw0rd", "p@ssw0rd", "p@ssword", "letmein1",
        "zaq12wsx", "qazwsxedc", "1qaz2wsx", "computer", "michelle", "jennifer", "corvette", "mercedes",
        "maverick", "internet", "asdfghjkl", "asdfasdf", "qwertyui", "1234qwer", "q1w2e3r4", "q1w2e3r4t5",
        "aa123456", "admin123", "administrator", "changeme", "changeme123", "default1", "freedom1", "shadow12",
        "master12", "dragon12", "monkey12", "football1", "baseball1", "iloveyou1", "password!", "password12",
        "password1234", "12345678910", "123123123", "987654321", "999999999", "111111111", "123qweasd",
        "qwe123qwe", "1234567891", "lovely12", "chocolate", "butterfly", "liverpool", "elephant", "snoopy12",
        "pokemon1", "minecraft", "blink182", "whatever1", "hello123", "welcome!", "sunshine1", "princess1",
        "charlie1", "jordan23", "michael1", "ashley12", "nicole12", "daniel12", "jessica1", "matthew1",
        "qwerty12", "qwerty1234", "1qazxsw2", "access14", "batman12", "letmein123", "secret123", "test1234",
        "testtest", "guest123", "login123", "pass1234", "summer2024", "winter2024", "spring2024", "autumn2024",
        "summer2025", "winter2025", "summer2026", "winter2026", "correcthorsebatterystaple",
    ]
}
