import AuthCore
import Foundation
import Hummingbird
import Metrics
import Prometheus

/// Health, readiness, metrics, the JWKS and the OpenAPI document.
struct OperationsController {
    let services: AuthServices
    let registry: PrometheusCollectorRegistry

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        // `authd_build_info{version,commit} 1`: which build answers, for dashboards and alerts across instances.
        let buildInfo = MetricNameDescriptor(
            namespace: "authd",
            metricName: "build",
            unitName: "info",
            helpText: "The version and commit of the build that answers"
        )
        registry.makeGauge(
            descriptor: buildInfo,
            labels: [("version", BuildInfo.version), ("commit", BuildInfo.commit)]
        )
        .set(to: 1)
        router.get("health", use: health)
        router.get("health/ready", use: ready)
        router.get("metrics", use: metrics)
        router.get(".well-known/jwks.json", use: jwks)
        router.get("openapi.yaml", use: openAPI)
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(["status": "ok", "version": BuildInfo.version, "commit": BuildInfo.commit])
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
        // Read when scraped: entries held now and what each cache may hold (`AUTH_CACHE_MEMORY_MB`).
        for cache in services.caches {
            Gauge(label: "authd_cache_entries", dimensions: [("cache", cache.name)]).record(cache.count())
            Gauge(label: "authd_cache_capacity", dimensions: [("cache", cache.name)]).record(cache.capacity)
        }
        let bytes = registry.emitToBuffer()
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    struct JWKS: Encodable { let keys: [[String: String]] }

    @Sendable func jwks(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(
            JWKS(keys: await services.tokens.jwks()),
            contentType: "application/jwk-set+json",
            headers: [.cacheControl: "public, max-age=60"]
        )
    }

    @Sendable func openAPI(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let document = OpenAPIDocument.text else { throw AuthError.notFound }
        return Response(
            status: .ok,
            headers: [.contentType: "application/yaml; charset=utf-8", .cacheControl: "public, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(string: document))
        )
    }
}
