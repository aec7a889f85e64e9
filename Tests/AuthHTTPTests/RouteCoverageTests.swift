import AuthCore
import AuthHTTP
import AuthRuntime
import AuthTestSupport
import Foundation
import Testing

/// The router and openapi.yaml describe the same set of operations.
@Suite struct RouteCoverageTests {
    /// "METHOD /path" for every operation of the document (a line-based read of its `paths:` section).
    static func documentedOperations() throws -> Set<String> {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../openapi.yaml"
        )
        let text = try String(contentsOf: url, encoding: .utf8)
        var operations = Set<String>()
        var inPaths = false
        var path: String?
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("paths:") {
                inPaths = true
                continue
            }
            if inPaths, !line.isEmpty, !line.hasPrefix(" "), !line.hasPrefix("#") { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast()).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "delete", "patch"].contains(String(key)) {
                    operations.insert("\(key.uppercased()) \(path)")
                }
            }
        }
        return operations
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() async throws {
        let documented = try Self.documentedOperations()
        try await withApp(.sqlite) { _, app in
            let routed = Set(app.routes.routes)
            #expect(routed.count == 56)
            #expect(
                routed.subtracting(documented).isEmpty,
                "routes missing from openapi.yaml: \(routed.subtracting(documented).sorted())"
            )
            #expect(
                documented.subtracting(routed).isEmpty,
                "documented but not routed: \(documented.subtracting(routed).sorted())"
            )
        }
    }

    @Test func everyErrorCodeIsDocumented() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../openapi.yaml"
        )
        let text = try String(contentsOf: url, encoding: .utf8)
        for code in AuthError.allCodes {
            #expect(text.contains("- \(code)\n"), "\(code)")
        }
    }
}
