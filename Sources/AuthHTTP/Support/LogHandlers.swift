import Foundation
import Logging

/// One line per event on standard error, in one of two formats:
/// - `json`: one JSON object a line: timestamp, level, message, label and metadata (request id, route, status...);
/// - `text`: the shape of swift-log's `StreamLogHandler` (`timestamp level label : key=value ... [source] message`).
///
/// Metadata is rendered only when a line is written. (`StreamLogHandler` renders all of it again each time a key is
/// set: setting the request id on every request's logger cost 3–5% of `/auth/verify`'s CPU.)
public struct LineLogHandler: LogHandler {
    public enum Format: Sendable { case json, text }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let format: Format
    let write: @Sendable (String) -> Void

    public init(
        label: String,
        format: Format,
        write: @escaping @Sendable (String) -> Void = { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    ) {
        self.label = label
        self.format = format
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// RFC 3339 in UTC with milliseconds and `Z` (`2026-12-02T13:16:28.684Z`): log pipelines read a time without a
    /// zone as their own local time.
    static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    public func log(event: LogEvent) {
        var merged = metadata.merging(event.metadata ?? [:]) { $1 }
        // One request id a line: authd's `request_id` (the client's X-Request-ID when sane), not Hummingbird's own.
        if merged["request_id"] != nil { merged["hb.request.id"] = nil }
        let timestamp = Date().formatted(Self.timestampStyle)
        switch format {
        case .text:
            let rendered = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
            write("\(timestamp) \(event.level) \(label) :\(rendered) [\(event.source)] \(event.message)")
        case .json:
            var object: [String: Any] = [
                "timestamp": timestamp, "level": event.level.rawValue, "message": event.message.description,
                "logger": label,
            ]
            for (key, value) in merged { object[key] = Self.json(value) }
            guard
                let data = try? JSONSerialization.data(
                    withJSONObject: object,
                    options: [.sortedKeys, .withoutEscapingSlashes]
                ),
                let line = String(data: data, encoding: .utf8)
            else { return }
            write(line)
        }
    }

    static func json(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let s): return s
        case .stringConvertible(let c):
            if let n = c as? Int { return n }
            if let d = c as? Double { return d }
            return c.description
        case .array(let a): return a.map(json)
        case .dictionary(let d): return d.mapValues(json)
        }
    }
}
