import Foundation

/// The one-time recovery codes of a TOTP enrolment, and the authenticated data its sealed secret is bound to.
enum RecoveryCodes {
    static let count = 10
    /// 16 base32 characters: 80 bits each.
    static let length = 16
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")

    static func sealingContext(_ userID: UUID) -> String { "user_totp|" + userID.uuidString.lowercased() }

    /// Ten codes of 80 random bits, as `xxxx-xxxx-xxxx-xxxx`.
    static func generate() -> [String] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let characters = (0..<length).map { _ in
                alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
            }
            return stride(from: 0, to: length, by: 4).map { String(characters[$0..<($0 + 4)]) }
                .joined(separator: "-")
        }
    }

    /// Lower case, without dashes or spaces: how a code is hashed, however it was typed.
    static func normalize(_ code: String) -> String {
        String(code.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    static func hash(_ code: String) -> String { SecureToken.hash(normalize(code)) }
}
