import Foundation
import Hummingbird

/// Responses as `application/json` with members sorted and slashes unescaped (Hummingbird's default encoder
/// adds a charset and keeps JSONEncoder's member order, which is not stable).
public struct SortedJSONResponseEncoder: ResponseEncoder {
    public init() {}

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response
    {
        try JSONResponse.make(value)
    }
}
