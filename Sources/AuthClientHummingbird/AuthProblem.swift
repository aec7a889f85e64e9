import AuthClient
import Foundation
import Hummingbird
import NIOCore

/// RFC 9457 problem details, shaped like authd's own.
enum AuthProblem {
    /// 401 `invalid_token`: no accepted bearer token.
    static func unauthenticated() -> Response {
        response(status: .unauthorized, code: "invalid_token", detail: "A bearer access token is required.")
    }

    static func response(status: HTTPResponse.Status, code: String, detail: String) -> Response {
        let body: [String: Any] = [
            "type": "about:blank", "title": status.reasonPhrase, "status": Int(status.code), "code": code,
            "detail": detail,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
