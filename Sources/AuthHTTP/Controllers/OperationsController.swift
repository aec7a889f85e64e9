import AuthCore
import Foundation
import Hummingbird
import Prometheus

/// Health, readiness, metrics, the JWKS and the OpenAPI document.
struct OperationsController {
    let services: AuthServices
    let registry: PrometheusCollectorRegistry

    func addRoutes(to router: Routes) {
        router.get("health", use: health)
        router.get("health/ready", use: ready)
        router.get("metrics", use: metrics)
        router.get(".well-known/jwks.json", use: jwks)
        router.get("openapi.yaml", use: openAPI)
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(["status": "ok"])
    }

    @Sendable func ready(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            try await services.store.ping()
        } catch {
            throw AuthError.serviceUnavailable
        }
        return try JSONResponse.make(["status": "ready"])
    }

    @Sendable func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        let bytes = registry.emitToBuffer()
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    struct JWKS: Encodable { let keys: [[String: String]] }

    @Sendable func jwks(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(JWKS(keys: await services.tokens.jwks()), contentType: "application/jwk-set+json",
                              headers: [.cacheControl: "public, max-age=60"])
    }

    @Sendable func openAPI(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let document = OpenAPIDocument.text else { throw AuthError.notFound }
        return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8", .cacheControl: "public, max-age=300"],
                        body: .init(byteBuffer: ByteBuffer(string: document)))
    }
}

/// The OpenAPI document, read once from the target's resources (looked up by path, so a missing bundle
/// is a 404 rather than a crash).
enum OpenAPIDocument {
    static let text: String? = {
        var candidates: [String] = []
        if let path = ProcessInfo.processInfo.environment["AUTH_OPENAPI_PATH"] { candidates.append(path) }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for bundle in ["authd_AuthHTTP.resources", "authd_AuthHTTP.bundle/Contents/Resources"] {
            candidates.append(executable.appendingPathComponent(bundle).appendingPathComponent("openapi.yaml").path)
        }
        for b in Bundle.allBundles + [Bundle.main] {
            candidates.append(b.bundleURL.appendingPathComponent("authd_AuthHTTP.resources/openapi.yaml").path)
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/openapi.yaml")
        for path in candidates {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { return text }
        }
        return nil
    }()
}
