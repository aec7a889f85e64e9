import AuthCore
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The transport's guards against hostile clients, and native TLS (`.ci/slow-clients` does the same at scale).
@Suite struct ConnectionTests {
    /// A raw TCP connection to the server, for clients no HTTP library would be.
    final class RawConnection {
        let fd: Int32

        init(port: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        func send(_ text: String) {
            _ = text.withCString { Glibc.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        }

        /// Waits for the server to close the connection (EOF); the seconds it took, or nil if it stayed open 5 s.
        func secondsUntilClosed() -> Double? {
            let start = Date()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n == 0 || (n < 0 && errno == ECONNRESET) { return Date().timeIntervalSince(start) }
                if n < 0 { return nil }
            }
        }

        /// One read of what the server sent (a small answer arrives whole).
        func receive() -> String {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = recv(fd, &buffer, buffer.count, 0)
            return n > 0 ? String(decoding: buffer[..<n], as: UTF8.self) : ""
        }

        deinit { close(fd) }
    }

    @Test func slowHeadersAndBodiesAreCutOffAndTheCapRefusesNewConnections() async throws {
        try await withApp(
            .sqlite,
            over: .live,
            configure: {
                $0.network.headerTimeoutMilliseconds = 300
                $0.network.bodyTimeoutMilliseconds = 400
                $0.network.maxConnections = 4
            }
        ) { api, _ in
            let port = try #require(api.client.port)
            let partial = try RawConnection(port: port)
            partial.send("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            let headerCut = try #require(partial.secondsUntilClosed())
            #expect(headerCut > 0.2 && headerCut < 2, "\(headerCut)")
            let trickle = try RawConnection(port: port)
            trickle.send("POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{")
            let bodyCut = try #require(trickle.secondsUntilClosed())
            #expect(bodyCut > 0.3 && bodyCut < 2, "\(bodyCut)")
            // Four connections are the cap: a fifth is closed at once, and when one goes, a new one is served.
            let held = try (0..<4).map { _ in try RawConnection(port: port) }
            try await Task.sleep(for: .milliseconds(100))
            let refused = try RawConnection(port: port)
            let cut = try #require(refused.secondsUntilClosed())
            #expect(cut < 0.2, "\(cut)")
            _ = held
        }
    }

    /// The header timeout counts from each request's first bytes: a kept-alive connection used for longer than the
    /// timeout stays open, and a slow request on it is cut a full timeout after it began, not at an earlier
    /// request's deadline (the guard re-arms one timer instead of scheduling one per request).
    @Test func aKeptAliveConnectionsHeaderTimeoutCountsFromEachRequest() async throws {
        try await withApp(
            .sqlite,
            over: .live,
            configure: {
                $0.network.headerTimeoutMilliseconds = 400
                $0.network.bodyTimeoutMilliseconds = 400
            }
        ) { api, _ in
            let port = try #require(api.client.port)
            let connection = try RawConnection(port: port)
            for _ in 0..<4 {
                connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(connection.receive().hasPrefix("HTTP/1.1 200"))
                try await Task.sleep(for: .milliseconds(150))
            }
            connection.send("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            let cut = try #require(connection.secondsUntilClosed())
            #expect(cut > 0.3 && cut < 2, "\(cut)")
        }
    }

    @Test func anUnreadableCertificateIsAConfigurationErrorBeforeAnythingOpens() async throws {
        var configuration = testConfiguration()
        configuration.network.tlsCertificateFile = "/nonexistent/cert.pem"
        configuration.network.tlsKeyFile = "/nonexistent/key.pem"
        await #expect(throws: ConfigurationError.self) {
            _ = try await buildApplication(configuration: configuration)
        }
    }

    @Test func tlsServesHTTPSWithHSTSAndSecureConsoleCookies() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("authd-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("cert.pem")
        let key = directory.appendingPathComponent("key.pem")
        try TestCertificates.certificatePEM.write(to: certificate, atomically: true, encoding: .utf8)
        try TestCertificates.privateKeyPEM.write(to: key, atomically: true, encoding: .utf8)
        try await withApp(
            .sqlite,
            over: .ahc(.https),
            configure: {
                $0.network.tlsCertificateFile = certificate.path
                $0.network.tlsKeyFile = key.path
            }
        ) { api, _ in
            let health = try await api.call(.get, "/health")
            #expect(health.status == .ok && health.header("Strict-Transport-Security") == "max-age=31536000")
            let console = try await api.call(.get, "/console")
            let cookie = try #require(console.headers[values: .setCookie].first)
            #expect(cookie.hasPrefix("__Host-authd_console_csrf=") && cookie.contains("; Secure"), "\(cookie)")
        }
    }
}
