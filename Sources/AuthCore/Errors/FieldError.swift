/// One invalid field of a request body or query.
public struct FieldError: Sendable, Equatable, Codable {
    public var field: String
    public var code: String
    public var message: String

    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }

    public static func required(_ field: String) -> FieldError {
        FieldError(field: field, code: "required", message: "The field \(field) is required.")
    }

    public static func tooLong(_ field: String, max: Int) -> FieldError {
        FieldError(field: field, code: "too_long", message: "At most \(max) characters.")
    }

    public static func invalidEmail(_ field: String = "email") -> FieldError {
        FieldError(
            field: field,
            code: "invalid_format",
            message: "A valid email address, at most \(FieldLimits.storedEmail) characters."
        )
    }
}
