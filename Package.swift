// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "authd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "authd", targets: ["authd"]),
        .library(name: "AuthCore", targets: ["AuthCore"]),
        // For other services: verify authd tokens locally (JWKS) or remotely (/auth/verify).
        .library(name: "AuthClient", targets: ["AuthClient"]),
        .library(name: "AuthClientHummingbird", targets: ["AuthClientHummingbird"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/async-kit.git", from: "1.19.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.1.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.0"),
        // Tests only: a certificate made at test time instead of a private key in the repository.
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.0"),
    ],
    targets: [
        // What the server and its clients share: access-token claims, header checks, permission rules.
        .target(
            name: "AuthShared",
            dependencies: [.product(name: "JWTKit", package: "jwt-kit")],
            swiftSettings: swiftSettings
        ),
        // Domain: accounts, tokens, sessions, permissions. No Hummingbird, no Fluent.
        .target(
            name: "AuthCore",
            dependencies: [
                "AuthShared",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            // Compiled into the binary: nothing to copy next to it, in a container or anywhere else.
            resources: [.embedInCode("Resources/common-passwords.txt")],
            swiftSettings: swiftSettings
        ),
        // Migrations, SQL repositories implementing the ports, and the database service (FluentKit pools, SQLKit).
        .target(
            name: "AuthPersistence",
            dependencies: [
                "AuthCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "AsyncKit", package: "async-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Hummingbird: routes, middleware, request and response types, the error mapping, buildRouter. No database.
        .target(
            name: "AuthHTTP",
            dependencies: [
                "AuthCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources/openapi.yaml")],
            swiftSettings: swiftSettings
        ),
        // Mail: messages (RFC 5322, MIME), templates, and the transports (file, log, SMTP on SwiftNIO, signed webhook).
        // Knows nothing of accounts: the outbox worker in AuthRuntime hands it what to send.
        .target(
            name: "AuthMail",
            dependencies: [
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The composition root: database, services, invalidation and background work, for the server and the CLI.
        .target(
            name: "AuthRuntime",
            dependencies: [
                "AuthCore",
                "AuthPersistence",
                "AuthHTTP",
                "AuthMail",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The library other Swift services import: no server, no Fluent, no SQLite.
        .target(
            name: "AuthClient",
            dependencies: [
                "AuthShared",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Hummingbird middleware over AuthClient's verifiers.
        .target(
            name: "AuthClientHummingbird",
            dependencies: ["AuthClient", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),
        // A service protected by authd both ways; built by CI and driven end to end by .ci/e2e-example.
        .executableTarget(
            name: "ExampleService",
            dependencies: [
                "AuthClient", "AuthClientHummingbird", .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Examples/ExampleService",
            swiftSettings: swiftSettings
        ),
        // Micro-benchmarks (run by bench/run in release): JWT per algorithm, bcrypt, refresh rotation.
        .executableTarget(
            name: "authd-bench",
            dependencies: [
                "AuthCore", "AuthPersistence", .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/AuthBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "authd",
            dependencies: [
                "AuthCore",
                "AuthPersistence",
                "AuthHTTP",
                "AuthRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared by the test targets: the database each test runs on (SQLite, and PostgreSQL when configured), the
        // in-memory store, and a TLS certificate made at test time.
        .target(
            name: "AuthTestSupport",
            dependencies: [
                "AuthCore",
                "AuthPersistence",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            path: "Tests/AuthTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AuthClientTests",
            dependencies: [
                "AuthClient", "AuthClientHummingbird", "AuthHTTP", "AuthRuntime", "AuthCore", "AuthTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AuthMailTests",
            dependencies: [
                "AuthMail",
                "AuthTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AuthCoreTests",
            dependencies: ["AuthCore", "AuthTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AuthPersistenceTests",
            dependencies: [
                "AuthPersistence", "AuthCore", "AuthTestSupport", .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AuthHTTPTests",
            dependencies: [
                "AuthHTTP",
                "AuthRuntime",
                "AuthPersistence",
                "AuthCore",
                "AuthMail",
                "AuthTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
