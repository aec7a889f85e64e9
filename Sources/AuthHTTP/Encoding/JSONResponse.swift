import Foundation
import Hummingbird

/// Builds JSON responses by hand where a handler needs full control of status and headers.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func make(
        _ value: some Encodable,
        status: HTTPResponse.Status = .ok,
        contentType: String = "application/json",
        headers extra: HTTPFields = [:]
    ) throws -> Response {
        make(json: try encoder.encode(value), status: status, contentType: contentType, headers: extra)
    }

    /// A body already written as JSON.
    static func make(
        json: some Sequence<UInt8>,
        status: HTTPResponse.Status = .ok,
        contentType: String = "application/json",
        headers extra: HTTPFields = [:]
    ) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }

    static func noContent() -> Response { Response(status: .noContent) }
}
