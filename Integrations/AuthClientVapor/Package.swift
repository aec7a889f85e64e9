// swift-tools-version:6.1
import PackageDescription

// The Vapor adapter of AuthClient: its own package, so that authd itself never depends on Vapor.
let package = Package(
    name: "AuthClientVapor",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "AuthClientVapor", targets: ["AuthClientVapor"])
    ],
    dependencies: [
        .package(name: "authd", path: "../.."),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
    ],
    targets: [
        .target(
            name: "AuthClientVapor",
            dependencies: [
                .product(name: "AuthClient", package: "authd"),
                .product(name: "Vapor", package: "vapor"),
            ]
        ),
        .testTarget(
            name: "AuthClientVaporTests",
            dependencies: [
                "AuthClientVapor",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ]
)
