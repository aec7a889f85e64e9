import Crypto
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import AuthMail

/// One HTTP request as the tiny server saw it.
struct ReceivedRequest: Sendable {
    var requestLine: String
    var headers: [String: String]
    var body: [UInt8]
}

/// A minimal HTTP/1.1 server on 127.0.0.1: reads one request (headers and a Content-Length body), records it and
/// answers with a fixed status, then closes. Enough to see what the webhook transport really sends.
final class TinyHTTPServer: Sendable {
    let channel: any Channel
    private let received = Mutex<[ReceivedRequest]>([])
    var requests: [ReceivedRequest] { received.withLock { $0 } }
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel) {
        self.channel = channel
    }

    static func with<T>(status: Int, _ body: (TinyHTTPServer) async throws -> T) async throws -> T {
        let box = RequestBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(HTTPRecorder(status: status, box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let server = TinyHTTPServer(channel: channel)
        box.server.withLock { $0 = server }
        do {
            let result = try await body(server)
            try? await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }

    fileprivate func record(_ request: ReceivedRequest) { received.withLock { $0.append(request) } }
}

private final class RequestBox: Sendable {
    let server = Mutex<TinyHTTPServer?>(nil)
}

private final class HTTPRecorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let status: Int
    let box: RequestBox
    var bytes: [UInt8] = []

    init(status: Int, box: RequestBox) {
        self.status = status
        self.box = box
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        bytes += buffer.readBytes(length: buffer.readableBytes) ?? []
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return }
        let head = text[..<end.lowerBound].components(separatedBy: "\r\n")
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces
            )
        }
        let headLength = text[..<end.upperBound].utf8.count
        let length = Int(headers["content-length"] ?? "0") ?? 0
        guard bytes.count >= headLength + length else { return }
        let request = ReceivedRequest(
            requestLine: head[0],
            headers: headers,
            body: Array(bytes[headLength..<(headLength + length)])
        )
        box.server.withLock { $0?.record(request) }
        let response = "HTTP/1.1 \(status) Test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response)))
            .assumeIsolated()
            .whenComplete { _ in context.close(promise: nil) }
    }
}

@Suite("WebhookMailTransport")
struct WebhookTests {
    static let message = MailMessage(
        messageID: "msg-1@authd.example.com",
        from: MailAddress(name: "authd", address: "no-reply@example.com"),
        to: MailAddress(address: "user@example.com"),
        subject: "Confirm",
        text: "Code 123456",
        html: nil,
        date: Date(timeIntervalSince1970: 1_764_691_445),
        kind: "verify-email"
    )

    @Test func postsSignedJSONThatVerifiesIndependently() async throws {
        let rawKey = Data((0..<24).map { UInt8($0) })
        let secret = "whsec_" + rawKey.base64EncodedString()
        try await TinyHTTPServer.with(status: 204) { server in
            let transport = WebhookMailTransport(url: "http://127.0.0.1:\(server.port)/mail", secret: secret)
            try await transport.send(Self.message)

            let request = try #require(server.requests.first)
            #expect(request.requestLine == "POST /mail HTTP/1.1")
            #expect(request.headers["content-type"] == "application/json")
            #expect(request.headers["webhook-id"] == "msg-1@authd.example.com")
            let timestamp = try #require(request.headers["webhook-timestamp"].flatMap { Int($0) })
            #expect(abs(Double(timestamp) - Date().timeIntervalSince1970) < 60)

            // Verify as a receiver would: HMAC-SHA256 over "id.timestamp.body" with the decoded key.
            let signed = Data("msg-1@authd.example.com.\(timestamp).".utf8) + Data(request.body)
            let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: rawKey))
            #expect(request.headers["webhook-signature"] == "v1," + Data(mac).base64EncodedString())

            let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
            #expect(json["id"] as? String == "msg-1@authd.example.com")
            #expect(json["kind"] as? String == "verify-email")
            #expect(json["from"] as? String == "authd <no-reply@example.com>")
            #expect(json["to"] as? String == "user@example.com")
            #expect(json["subject"] as? String == "Confirm")
            #expect(json["text"] as? String == "Code 123456")
            #expect(json["html"] is NSNull)
            #expect(json["date"] as? String == "2025-12-02T16:04:05Z")
        }
    }

    /// The example from the Standard Webhooks specification.
    @Test func standardWebhooksTestVector() throws {
        let key = try #require(WebhookMailTransport.signingKey(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let signature = WebhookMailTransport.signature(
            key: key,
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
            timestamp: 1_614_265_330,
            body: Array(#"{"test": 2432232314}"#.utf8)
        )
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func plainSecretIsUsedAsUTF8() {
        #expect(WebhookMailTransport.signingKey(secret: "not-prefixed") == Array("not-prefixed".utf8))
        #expect(WebhookMailTransport.signingKey(secret: "whsec_!!!") == nil)
    }

    @Test(arguments: [(500, false), (503, false), (429, false), (400, true), (401, true), (404, true)])
    func statusCodesAreSorted(status: Int, permanent: Bool) async throws {
        try await TinyHTTPServer.with(status: status) { server in
            let transport = WebhookMailTransport(url: "http://127.0.0.1:\(server.port)/mail", secret: "s")
            do {
                try await transport.send(Self.message)
                Issue.record("expected an error for HTTP \(status)")
            } catch let error as MailDeliveryError {
                #expect(error.isPermanent == permanent)
                #expect(error.description.contains("\(status)"))
            }
        }
    }

    @Test func unreachableEndpointIsTransient() async throws {
        let port = try await TinyHTTPServer.with(status: 200) { $0.port }
        let transport = WebhookMailTransport(url: "http://127.0.0.1:\(port)/mail", secret: "s", timeout: .seconds(1))
        let started = ContinuousClock.now
        do {
            try await transport.send(Self.message)
            Issue.record("expected an error")
        } catch let error as MailDeliveryError {
            #expect(!error.isPermanent)
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
