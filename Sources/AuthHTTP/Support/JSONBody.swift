import AuthCore
import Foundation
import Hummingbird

/// Any JSON value; request bodies are read into this first (by `JSONParser`), so that absent, null and wrongly
/// typed fields can each get a clear answer.
enum JSONValue: Equatable, Sendable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])
}

/// A request body that is a JSON object, with typed accessors that collect field errors.
struct JSONBody {
    let fields: [String: JSONValue]
    private(set) var errors: [FieldError] = []

    init(fields: [String: JSONValue]) { self.fields = fields }

    /// Reads the whole body (413 above the limit), insists on JSON (400) and on an object (422).
    static func read(_ request: Request, context: AppRequestContext) async throws -> JSONBody {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw AuthError.payloadTooLarge
        }
        guard contentType.hasPrefix("application/json") || contentType.hasPrefix("application/") && contentType.contains("+json") else {
            throw AuthError.unsupportedMediaType
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(buffer.readableBytesView))
        } catch {
            throw AuthError.malformedRequest("The body is not valid JSON.")
        }
        guard case .object(let fields) = value else {
            throw AuthError.validation(field: "body", code: "invalid_type", message: "The body must be a JSON object.")
        }
        return JSONBody(fields: fields)
    }

    /// The body when there is one, else an empty object (for endpoints whose body is optional).
    static func readOptional(_ request: Request, context: AppRequestContext) async throws -> JSONBody {
        if request.headers[.contentLength] == "0" || (request.headers[.contentLength] == nil && request.headers[.transferEncoding] == nil) {
            return JSONBody(fields: [:])
        }
        return try await read(request, context: context)
    }

    mutating func fail(_ field: String, _ code: String, _ message: String) {
        errors.append(FieldError(field: field, code: code, message: message))
    }

    mutating func string(_ key: String, required: Bool = false, max: Int = 10_000) -> String? {
        switch fields[key] {
        case .none, .some(.null):
            if required { fail(key, "required", "The field \(key) is required.") }
            return nil
        case .some(.string(let s)):
            // Lengths count Unicode code points, as JSON Schema's maxLength does.
            if s.unicodeScalars.count > max {
                fail(key, "too_long", "At most \(max) characters.")
                return nil
            }
            return s
        default:
            fail(key, "invalid_type", "The field \(key) must be a string.")
            return nil
        }
    }

    /// nil: absent; .some(nil): null (clear the field); .some(value): set it.
    mutating func nullableString(_ key: String, max: Int = 10_000) -> String?? {
        switch fields[key] {
        case .none: return nil
        case .some(.null): return .some(nil)
        case .some(.string(let s)):
            if s.unicodeScalars.count > max {
                fail(key, "too_long", "At most \(max) characters.")
                return nil
            }
            return .some(s)
        default:
            fail(key, "invalid_type", "The field \(key) must be a string or null.")
            return nil
        }
    }

    mutating func bool(_ key: String) -> Bool? {
        switch fields[key] {
        case .none, .some(.null): return nil
        case .some(.bool(let b)): return b
        default:
            fail(key, "invalid_type", "The field \(key) must be true or false.")
            return nil
        }
    }

    mutating func stringArray(_ key: String, maxCount: Int = 200) -> [String]? {
        switch fields[key] {
        case .none, .some(.null): return nil
        case .some(.array(let items)):
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item, s.unicodeScalars.count <= 200 else {
                    fail(key, "invalid_type", "The field \(key) must be an array of strings.")
                    return nil
                }
                out.append(s)
            }
            if out.count > maxCount {
                fail(key, "too_many", "At most \(maxCount) items.")
                return nil
            }
            return out
        default:
            fail(key, "invalid_type", "The field \(key) must be an array of strings.")
            return nil
        }
    }

    mutating func profile() -> ProfileChanges {
        ProfileChanges(displayName: nullableString("display_name", max: 200), givenName: nullableString("given_name", max: 100),
                       familyName: nullableString("family_name", max: 100), locale: nullableString("locale", max: 35),
                       timezone: nullableString("timezone", max: 64), avatarURL: nullableString("avatar_url", max: 2048))
    }

    static let profileKeys: Set<String> = ["display_name", "given_name", "family_name", "locale", "timezone", "avatar_url"]

    /// Fields a caller may not set here are refused, naming each.
    mutating func refuseFields(except allowed: Set<String>) {
        for key in fields.keys.sorted() where !allowed.contains(key) {
            fail(key, "not_allowed", "The field \(key) cannot be set here.")
        }
    }

    func finish() throws {
        if !errors.isEmpty { throw AuthError.validation(errors) }
    }
}
