import Foundation

/// The environment as `serve` would read it, with every problem rather than the first, and each setting's value
/// (secrets redacted) and origin: what `authd config check` prints.
public struct ConfigurationReport: Sendable {
    /// Where a value came from.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        /// Unset: the built-in default.
        case `default`
        /// The variable itself.
        case variable
        /// `NAME_FILE`: the variable naming the file, and its path.
        case file(variable: String, path: String)

        public var description: String {
            switch self {
            case .default: "default"
            case .variable: "variable"
            case .file(let variable, let path): "\(variable)=\(path)"
            }
        }
    }

    public struct Setting: Sendable, Equatable {
        public let variable: String
        /// The value as read, redacted when it is or holds a secret; `(unset)` when neither it nor a default is set.
        public let value: String
        public let source: Source
    }

    /// The configuration read, with defaults in place of the values that were refused.
    public var configuration: AuthConfiguration
    /// Every variable authd reads, in the order it reads them.
    public var settings: [Setting]
    public var problems: [ConfigurationError]

    /// Variables whose value is a secret: shown as `[redacted]`.
    public static let secretVariables: Set<String> = [
        "AUTH_JWT_SECRET", "AUTH_ENCRYPTION_KEY", "AUTH_ENCRYPTION_KEY_PREVIOUS", "AUTH_BOOTSTRAP_ADMIN_PASSWORD",
        "AUTH_MAIL_WEBHOOK_SECRET",
    ]
    /// Variables holding a URL that may carry a password: shown with the password redacted.
    public static let urlVariables: Set<String> = ["DATABASE_URL", "AUTH_MAIL_URL"]

    /// `value` as it may be shown for `variable`.
    public static func redacted(_ variable: String, _ value: String) -> String {
        if secretVariables.contains(variable) { return "[redacted]" }
        if urlVariables.contains(variable) { return redactingPassword(value) }
        return value
    }

    /// The URL with the password of its user information, and any `password` query parameter, replaced by
    /// `[redacted]`.
    public static func redactingPassword(_ url: String) -> String {
        var result = url
        if let schemeEnd = url.range(of: "://") {
            let rest = url[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@"),
                let colon = rest[..<at].firstIndex(of: ":")
            {
                result = String(url[...colon]) + "[redacted]" + String(url[at...])
            }
        }
        guard let query = result.firstIndex(of: "?") else { return result }
        let items = result[result.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false)
        let kept = items.map { item -> String in
            let name = item.split(separator: "=", maxSplits: 1).first.map { String($0).lowercased() } ?? ""
            return ["password", "pass", "passwd"].contains(name) ? "\(name)=[redacted]" : String(item)
        }
        return String(result[...query]) + kept.joined(separator: "&")
    }
}

extension AuthConfiguration {
    /// Reads the environment as `fromEnvironment` does, but collects every problem instead of throwing the first.
    public static func check(_ env: [String: String] = ProcessInfo.processInfo.environment) -> ConfigurationReport {
        let reader = EnvironmentReader(env: env, collecting: true)
        // A collecting reader reports instead of throwing, so this only fails on an error of another kind.
        let configuration: AuthConfiguration
        do {
            configuration = try read(reader)
        } catch {
            configuration = AuthConfiguration()
            try? reader.report(ConfigurationError(variable: "environment", message: "\(error)"))
        }
        return ConfigurationReport(configuration: configuration, settings: reader.settings, problems: reader.problems)
    }
}
