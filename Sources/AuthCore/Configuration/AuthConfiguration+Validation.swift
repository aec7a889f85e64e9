import Foundation

extension AuthConfiguration {
    /// The box that encrypts secrets at rest, when `AUTH_ENCRYPTION_KEY` is set.
    public func secretBox() throws -> SecretBox? {
        guard let encryptionKey else {
            if !encryptionKeyPrevious.isEmpty {
                throw ConfigurationError(
                    variable: "AUTH_ENCRYPTION_KEY_PREVIOUS",
                    message: "needs AUTH_ENCRYPTION_KEY (the key to encrypt under)"
                )
            }
            return nil
        }
        return try SecretBox(key: encryptionKey, previous: encryptionKeyPrevious)
    }

    /// Checks that the settings fit together; throws the first problem.
    public func validate() throws {
        if let problem = validationProblems().first { throw problem }
    }

    /// Every way the settings do not fit together.
    public func validationProblems() -> [ConfigurationError] {
        var problems: [ConfigurationError] = []
        if jwtAlgorithm == .hs256, (jwtSecret?.utf8.count ?? 0) < 32 {
            problems.append(
                ConfigurationError(variable: "AUTH_JWT_SECRET", message: "HS256 needs a secret of at least 32 bytes")
            )
        }
        do {
            _ = try secretBox()
        } catch let error as ConfigurationError {
            problems.append(error)
        } catch {
            problems.append(ConfigurationError(variable: "AUTH_ENCRYPTION_KEY", message: "unusable"))
        }
        if (bootstrapAdminEmail == nil) != (bootstrapAdminPassword == nil) {
            problems.append(
                ConfigurationError(
                    variable: bootstrapAdminEmail == nil
                        ? "AUTH_BOOTSTRAP_ADMIN_EMAIL" : "AUTH_BOOTSTRAP_ADMIN_PASSWORD",
                    message: "AUTH_BOOTSTRAP_ADMIN_EMAIL and AUTH_BOOTSTRAP_ADMIN_PASSWORD go together"
                )
            )
        }
        if URL(string: issuer)?.scheme == nil {
            problems.append(ConfigurationError(variable: "AUTH_ISSUER", message: "must be an absolute URL"))
        }
        if audience.isEmpty {
            problems.append(ConfigurationError(variable: "AUTH_AUDIENCE", message: "must not be empty"))
        }
        return problems
    }

    public static func parseDatabaseURL(_ url: String) throws -> Database {
        if url == "sqlite::memory:" || url == "sqlite://:memory:" { return .sqliteMemory }
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else {
                throw ConfigurationError(
                    variable: "DATABASE_URL",
                    message: "sqlite:// needs a file path, e.g. sqlite://./data/auth.sqlite"
                )
            }
            return .sqlite(path: path)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty,
                components.path.count > 1
            else {
                throw ConfigurationError(
                    variable: "DATABASE_URL",
                    message: "expected postgres://user:password@host:5432/database"
                )
            }
            return .postgres(url: url)
        }
        throw ConfigurationError(
            variable: "DATABASE_URL",
            message: "unsupported scheme; use sqlite://PATH or postgres://user:password@host:port/database"
        )
    }
}
