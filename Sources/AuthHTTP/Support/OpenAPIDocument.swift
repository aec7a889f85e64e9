import Foundation

/// The OpenAPI document, read once from the target's resources (looked up by path, so a missing bundle
/// is a 404 rather than a crash).
enum OpenAPIDocument {
    static let text: String? = {
        var candidates: [String] = []
        if let path = ProcessInfo.processInfo.environment["AUTH_OPENAPI_PATH"] { candidates.append(path) }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
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
