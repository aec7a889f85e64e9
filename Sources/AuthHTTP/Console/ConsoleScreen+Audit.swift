import AuthCore
import Foundation
import Hummingbird

extension ConsoleScreen {
    func audit() async throws -> Response {
        if let refused = await require(Permission.auditRead) { return refused }
        var query = AuditQuery()
        var problems: [String] = []
        if let text = input["user_id"] {
            if let id = UUID(uuidString: text) {
                query.userID = id
            } else {
                problems.append("The user id is not a UUID.")
            }
        }
        query.action = input["action"]
        query.outcome = input["outcome"].flatMap(AuditEvent.Outcome.init(rawValue:))
        for (key, label) in [("since", "since"), ("until", "until")] {
            guard let text = input[key] else { continue }
            guard let date = Self.minute(text) else {
                problems.append("The \(label) time is not a date and time.")
                continue
            }
            if key == "since" { query.since = date } else { query.until = date }
        }
        query.page = max(1, min(1_000_000, input["page"].flatMap { Int($0) } ?? 1))
        query.perPage = 50
        let result = try await services.auditTrail.list(query)
        var emails: [UUID: String] = [:]
        for id in Set(result.items.flatMap { [$0.userID, $0.actorID].compactMap { $0 } }) {
            emails[id] = try await services.store.users.find(id: id)?.email
        }
        var values = base("Audit log")
        values["user_id"] = input["user_id"]
        values["action"] = input["action"]
        values["since"] = input["since"]
        values["until"] = input["until"]
        values["outcome_options"] = Self.options(
            [("", "any"), ("success", "success"), ("failure", "failure")],
            input["outcome"]
        )
        if !problems.isEmpty { values["errors"] = problems.joined(separator: " ") }
        values["total"] = result.total
        values["items"] = result.items.map { event -> [String: Any] in
            var row: [String: Any] = [
                "time": String(rfc3339(event.occurredAt).prefix(19)).replacingOccurrences(of: "T", with: " "),
                "action": event.action, "outcome": event.outcome.rawValue, "ip": event.ip ?? "",
                "details": event.details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                    .joined(separator: " "),
            ]
            if let user = event.userID {
                row["user_id"] = user.uuidString.lowercased()
                row["user_label"] = emails[user] ?? "deleted user"
            }
            if let actor = event.actorID {
                row["actor_id"] = actor.uuidString.lowercased()
                row["actor_label"] = emails[actor] ?? "deleted user"
            }
            return row
        }
        let pages = max(1, (result.total + query.perPage - 1) / query.perPage)
        if query.page > 1 { values["prev"] = auditLink(query.page - 1) }
        if query.page < pages { values["next"] = auditLink(query.page + 1) }
        return page("audit", values)
    }

    func auditLink(_ page: Int) -> String {
        var components = URLComponents()
        components.path = "/console/audit"
        components.queryItems =
            ["user_id", "action", "outcome", "since", "until"].compactMap { key in
                input[key].map { URLQueryItem(name: key, value: $0) }
            } + [URLQueryItem(name: "page", value: String(page))]
        return components.string ?? "/console/audit"
    }

    /// `datetime-local` (`2026-12-02T16:30`, taken as UTC) or RFC 3339.
    static func minute(_ text: String) -> Date? {
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
