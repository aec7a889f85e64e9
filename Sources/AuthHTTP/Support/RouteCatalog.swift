import Foundation
import Hummingbird
import Synchronization

/// Every route the server registers, as "METHOD /path", read from the router once it is built: for 405 answers
/// and for the test that compares the router with openapi.yaml.
public final class RouteCatalog: Sendable {
    private let entries = Mutex<[String]>([])

    public init() {}

    public var routes: [String] { entries.withLock { $0 } }

    func fill<Context>(from router: Router<Context>) {
        // A catch-all (`**`, the console's) is documented as one `{path}` parameter.
        let routes = router.routes.map {
            "\($0.method.rawValue) \($0.path)".replacingOccurrences(of: "/**", with: "/{path}")
        }
        entries.withLock { $0 = routes }
    }

    /// The methods registered for a concrete path (`{param}` segments match any one segment), for 405 answers.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        return routes.compactMap { entry -> String? in
            let parts = entry.split(separator: " ", maxSplits: 1)
            let pattern = parts[1].split(separator: "/", omittingEmptySubsequences: true)
            guard pattern.count == segments.count else { return nil }
            for (p, s) in zip(pattern, segments) where !(p.hasPrefix("{") && p.hasSuffix("}")) && p != s { return nil }
            return String(parts[0])
        }
    }
}
