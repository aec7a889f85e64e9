import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Watches the process's open files against its limit. When descriptors run out, NIO's accept loop backs off
/// (`AcceptBackoffHandler`) and swallows the accept errors, so nothing would say why new clients wait: this logs a
/// warning at most once a minute while open files are at 95 % of the limit or more, and publishes
/// `authd_open_files` and `authd_open_files_limit`.
struct OpenFileWatcher: Service {
    let logger: Logger
    var interval: Duration = .seconds(5)
    var warnEvery: TimeInterval = 60

    func run() async throws {
        let open = Gauge(label: "authd_open_files")
        let limitGauge = Gauge(label: "authd_open_files_limit")
        try? await cancelWhenGracefulShutdown {
            var lastWarning = Date.distantPast
            while !Task.isCancelled {
                if let count = Self.openFiles() {
                    let limit = Self.limit()
                    open.record(count)
                    limitGauge.record(limit)
                    if count * 100 >= limit * 95, Date().timeIntervalSince(lastWarning) >= warnEvery {
                        lastWarning = Date()
                        logger.warning(
                            "open files near the limit: new connections wait or are refused",
                            metadata: ["open_files": "\(count)", "limit": "\(limit)"]
                        )
                    }
                }
                try await Task.sleep(for: interval)
            }
        }
    }

    /// Entries of /proc/self/fd (Linux); nil where there is no such directory. Listing it takes a descriptor itself:
    /// when that fails while the directory is there, every descriptor is in use.
    static func openFiles() -> Int? {
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") { return entries.count }
        return FileManager.default.fileExists(atPath: "/proc/self/fd") ? limit() : nil
    }

    static func limit() -> Int {
        var limit = rlimit()
        return getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? Int(clamping: limit.rlim_cur) : 1_024
    }
}
