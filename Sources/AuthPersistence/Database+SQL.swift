import FluentKit
import SQLKit

extension Database {
    /// The same database as SQLKit sees it. FluentKit's SQLite and PostgreSQL drivers, the only ones authd
    /// configures, hand out databases that are also `SQLDatabase`s; this is the one place that relies on it.
    var sql: any SQLDatabase { self as! any SQLDatabase }
    var isPostgres: Bool { sql.isPostgres }
}

extension SQLDatabase {
    var isPostgres: Bool { dialect.name == "postgresql" }
}
