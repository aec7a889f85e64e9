import Foundation

/// What `authd --version`, `GET /health` and the `authd_build_info` metric report.
public enum BuildInfo {
    /// The release of authd.
    public static let version = "1.0.0"

    /// The git commit the binary was built from: `AUTHD_BUILD_COMMIT` in the environment (the Docker image sets it
    /// from the build argument of that name), else `unknown`. SwiftPM cannot bake a value into a build without a
    /// plugin that runs git on every build, so the commit travels beside the binary. Only letters, digits, `.`, `-`
    /// and `_` are kept (at most 64), since it goes into JSON and a Prometheus label.
    public static let commit: String = commit(from: ProcessInfo.processInfo.environment)

    static func commit(from env: [String: String]) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
        let value = String((env["AUTHD_BUILD_COMMIT"] ?? "").filter { allowed.contains($0) }.prefix(64))
        return value.isEmpty ? "unknown" : value
    }

    /// `authd 1.0.0 (commit 3f2c9e1)`.
    public static var summary: String { "authd \(version) (commit \(commit))" }
}
