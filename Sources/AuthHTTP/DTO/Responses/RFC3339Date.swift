import Foundation

/// RFC 3339 in UTC, whole seconds.
func rfc3339(_ date: Date) -> String {
    date.formatted(.iso8601)
}
