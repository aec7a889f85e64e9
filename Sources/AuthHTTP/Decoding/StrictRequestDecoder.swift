import AuthCore
import Hummingbird

/// Reads a request body as JSON through `JSONParser` (RFC 8259 strict: UTF-8, duplicate members, depth) and
/// decodes it with `JSONValueDecoder`, which collects every field error into one 422.
public struct StrictRequestDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(
        _ type: T.Type,
        from request: Request,
        context: some RequestContext
    ) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw Problem.payloadTooLarge
        }
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard
            contentType.hasPrefix("application/json")
                || contentType.hasPrefix("application/") && contentType.contains("+json")
        else { throw Problem.unsupportedMediaType }
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(buffer.readableBytesView))
        } catch {
            throw AuthError.malformedRequest("The body is not valid JSON.")
        }
        return try Self.decode(type, from: value)
    }

    /// Decodes an already parsed body; a body that is not an object is 422 on `body`.
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        guard case .object(let members) = value else {
            throw AuthError.validation(field: "body", code: "invalid_type", message: "The body must be a JSON object.")
        }
        if let fast = T.self as? any FastRequestBody.Type, let decoded = fast.fast(members) as? T { return decoded }
        let body = T.self as? any RequestBody.Type
        let state = JSONValueDecoder.State(
            maxLengths: body?.maxLengths ?? [:],
            maxCounts: body?.maxCounts ?? [:]
        )
        let decoded: T
        do {
            decoded = try T(from: JSONValueDecoder(state: state, members: members))
        } catch JSONValueDecoder.Stop.stop {
            throw AuthError.validation(state.errors)
        }
        let refusesUnknown = body?.refusesUnknownMembers ?? true
        // The common case, every member read and no U+0000 anywhere, is settled without sorting or building paths.
        let allRead = members.keys.allSatisfy { state.read.contains($0) }
        if state.errors.isEmpty, allRead || !refusesUnknown, !value.containsNUL { return decoded }
        // PostgreSQL's text cannot hold U+0000: refused here, on both databases alike, naming each place. Members a
        // route ignores are dropped unread, so only those it reads (or refuses) count.
        for key in members.keys.sorted() where refusesUnknown || state.read.contains(key) {
            guard !(body?.membersAllowingNUL.contains(key) ?? false) else { continue }
            let paths = (key.utf8.contains(0) ? [key] : []) + members[key]!.pathsContainingNUL(at: key)
            for path in paths { state.fail(path, "invalid_characters", "U+0000 is not allowed.") }
        }
        if refusesUnknown {
            // roles, permissions, is_active and anything else the route does not take: refused, nothing changes.
            for key in members.keys.sorted() where !state.read.contains(key) {
                state.fail(key, "not_allowed", "The field \(key) cannot be set here.")
            }
        }
        if !state.errors.isEmpty { throw AuthError.validation(state.errors) }
        return decoded
    }
}

/// A body type with a hand-written reader for its common shape: `fast` answers nil for anything it does not take,
/// which then goes through `JSONValueDecoder` as every other body does.
protocol FastRequestBody: RequestBody {
    static func fast(_ members: [String: JSONValue]) -> Self?
}

extension Request {
    /// The body decoded strictly; an absent or empty body reads as `{}` when `optional`.
    func decodeBody<T: RequestBody>(
        as type: T.Type,
        context: AppRequestContext,
        optional: Bool = false
    ) async throws -> T {
        if optional,
            headers[.contentLength] == "0" || (headers[.contentLength] == nil && headers[.transferEncoding] == nil)
        {
            return try StrictRequestDecoder.decode(type, from: .object([:]))
        }
        return try await StrictRequestDecoder().decode(type, from: self, context: context)
    }
}
