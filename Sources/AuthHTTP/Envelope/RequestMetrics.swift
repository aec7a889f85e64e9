import Hummingbird
import Metrics
import Synchronization

/// `authd_http_requests_total` and `authd_http_request_duration_seconds` per method, route and status.
/// Our own rather than Hummingbird's `MetricsMiddleware`: the `authd_http_*` names are what dashboards use.
/// The counters and timers, made once per (method, route, status) and reused: creating a metric goes through
/// the registry's lock and label handling, too slow to do on every request.
final class RequestMetrics: Sendable {
    static let shared = RequestMetrics()
    private let counters = Mutex<[String: Counter]>([:])
    private let timers = Mutex<[String: Metrics.Timer]>([:])

    func record(method: String, route: String, status: Int, nanoseconds: Int64) {
        let key = method + " " + route
        let counterKey = key + " " + String(status)
        let counter = counters.withLock { cache in
            if let counter = cache[counterKey] { return counter }
            let counter = Counter(
                label: "authd_http_requests_total",
                dimensions: [("method", method), ("route", route), ("status", String(status))]
            )
            cache[counterKey] = counter
            return counter
        }
        counter.increment()
        let timer = timers.withLock { cache in
            if let timer = cache[key] { return timer }
            let timer = Metrics.Timer(
                label: "authd_http_request_duration_seconds",
                dimensions: [("method", method), ("route", route)]
            )
            cache[key] = timer
            return timer
        }
        timer.recordNanoseconds(nanoseconds)
    }
}
