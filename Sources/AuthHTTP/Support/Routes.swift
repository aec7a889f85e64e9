import Hummingbird
import Synchronization

/// Every route the server registers, as "METHOD /path"; the test that compares the router with
/// openapi.yaml reads it.
public final class RouteCatalog: Sendable {
    private let entries = Mutex<[String]>([])
    public init() {}
    public var routes: [String] { entries.withLock { $0 } }
    func add(_ method: HTTPRequest.Method, _ path: String) { entries.withLock { $0.append("\(method.rawValue) \(path)") } }

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

/// A router group that records what it registers in the catalog.
struct Routes {
    let group: RouterGroup<AppRequestContext>
    let prefix: String
    let catalog: RouteCatalog

    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    func adding(_ middleware: some RouterMiddleware<AppRequestContext>) -> Routes {
        Routes(group: group.group().add(middleware: middleware), prefix: prefix, catalog: catalog)
    }

    func on(_ method: HTTPRequest.Method, _ path: String, use handler: @escaping Handler) {
        catalog.add(method, prefix + "/" + path)
        group.on(RouterPath(path), method: method, use: handler)
    }

    func get(_ path: String, use handler: @escaping Handler) { on(.get, path, use: handler) }
    func post(_ path: String, use handler: @escaping Handler) { on(.post, path, use: handler) }
    func put(_ path: String, use handler: @escaping Handler) { on(.put, path, use: handler) }
    func delete(_ path: String, use handler: @escaping Handler) { on(.delete, path, use: handler) }
}
