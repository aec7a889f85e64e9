import Foundation

/// Columns aligned for a terminal: two spaces between columns, the last one not padded.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: String...) {
        self.header = header
    }

    mutating func add(_ row: String...) {
        rows.append(row)
    }

    func render(indent: String = "") -> String {
        let all = [header] + rows
        let columns = all.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            var line = indent
            for (column, cell) in row.enumerated() {
                let last = column == row.count - 1
                line += last ? cell : cell.padding(toLength: widths[column] + 2, withPad: " ", startingAt: 0)
            }
            return line
        }.joined(separator: "\n")
    }
}

/// A failed operator command, as one line for standard error (`authd: no user with email x@example.com`).
public struct OperatorError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Times as the API writes them: RFC 3339 in UTC, whole seconds.
enum OperatorTime {
    static let style = Date.ISO8601FormatStyle(timeZone: .gmt)

    static func text(_ date: Date?) -> String {
        date.map { $0.formatted(style) } ?? "-"
    }
}
