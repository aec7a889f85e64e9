import Foundation
import SQLKit

/// What `q=` on the user list searches: the email and the names, lower-cased, in one string matched with
/// `LIKE '%term%'`. On PostgreSQL `CreateUserSearchIndexes` puts a trigram index on this expression, and the
/// planner uses it only for the same expression: the index and `SQLUserRepository.list` both take it from here.
enum UserSearch {
    /// Unqualified columns: the list and count queries read `users` alone (the role filter is a subquery).
    /// Its text, line break included, is part of the index statement that has shipped: do not reformat it.
    static let expression = """
        (lower(email) || ' ' || lower(coalesce(display_name, '')) || ' ' || lower(coalesce(given_name, ''))
           || ' ' || lower(coalesce(family_name, '')))
        """

    /// The trigram index over `expression` (PostgreSQL, with pg_trgm).
    static let createIndex = """
        CREATE INDEX IF NOT EXISTS users_search_trgm_idx ON users USING gin (
          \(expression) gin_trgm_ops)
        """

    /// The condition for users whose email or names contain `term`, in any case; `%`, `_` and `\` match themselves.
    static func condition(containing term: String) -> SQLQueryString {
        let escaped = term.lowercased().replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
            of: "%",
            with: "\\%"
        )
        .replacingOccurrences(of: "_", with: "\\_")
        return "\(unsafeRaw: expression) LIKE \(bind: "%" + escaped + "%") ESCAPE '\\'"
    }
}
