import Foundation

/// Reads typed values from the environment, naming the variable in every error, and notes where each value came
/// from and what it is (secrets redacted) for `authd config check`.
///
/// Strict (as `serve` reads): the first problem throws. Collecting (`AuthConfiguration.check`): every problem is
/// kept in `problems` and the default stands in for a bad value, so that one pass finds them all.
final class EnvironmentReader {
    let env: [String: String]
    let collecting: Bool
    private(set) var problems: [ConfigurationError] = []
    private(set) var settings: [ConfigurationReport.Setting] = []
    private var noted: Set<String> = []

    init(env: [String: String], collecting: Bool = false) {
        self.env = env
        self.collecting = collecting
    }

    /// A problem with the configuration: thrown when strict, kept when collecting.
    func report(_ problem: ConfigurationError) throws {
        guard collecting else { throw problem }
        problems.append(problem)
    }

    /// `NAME_FILE`, when set, wins over `NAME` (an image's default must not shadow a mounted secret).
    func string(_ name: String) throws -> String? {
        guard let (value, source) = try raw(name) else {
            note(name, nil, .default)
            return nil
        }
        note(name, value, source)
        return value
    }

    /// The value of `name`, or `value` when it is unset.
    func string(_ name: String, default value: String) throws -> String {
        guard let (text, source) = try raw(name) else {
            note(name, value, .default)
            return value
        }
        note(name, text, source)
        return text
    }

    func int(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let (text, source) = try raw(name) else {
            note(name, String(value), .default)
            return value
        }
        note(name, text, source)
        guard let parsed = Int(text.trimmingCharacters(in: .whitespaces)) else {
            try report(
                ConfigurationError(variable: name, message: "expected a whole number, got \"\(text.prefix(40))\"")
            )
            return value
        }
        guard range.contains(parsed) else {
            try report(
                ConfigurationError(
                    variable: name,
                    message: "must be between \(range.lowerBound) and \(range.upperBound), got \(parsed)"
                )
            )
            return value
        }
        return parsed
    }

    func bool(_ name: String, default value: Bool) throws -> Bool {
        guard let (text, source) = try raw(name) else {
            note(name, String(value), .default)
            return value
        }
        note(name, text, source)
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default:
            try report(
                ConfigurationError(variable: name, message: "expected true or false, got \"\(text.prefix(40))\"")
            )
            return value
        }
    }

    /// Reads `name` into `root[keyPath: path]`; the value already there is the default.
    func int<Root>(
        _ name: String,
        into root: inout Root,
        _ path: WritableKeyPath<Root, Int>,
        range: ClosedRange<Int>
    )
        throws
    {
        root[keyPath: path] = try int(name, default: root[keyPath: path], range: range)
    }

    /// Reads `name` into `root[keyPath: path]`; the value already there is the default.
    func bool<Root>(_ name: String, into root: inout Root, _ path: WritableKeyPath<Root, Bool>) throws {
        root[keyPath: path] = try bool(name, default: root[keyPath: path])
    }

    /// The text of `NAME_FILE` (trimmed) or `NAME`, and which it was; nil when neither is set (or the file could not
    /// be read, which is reported).
    private func raw(_ name: String) throws -> (String, ConfigurationReport.Source)? {
        if let file = env[name + "_FILE"], !file.isEmpty {
            let source = ConfigurationReport.Source.file(variable: name + "_FILE", path: file)
            do {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                return (text.trimmingCharacters(in: .whitespacesAndNewlines), source)
            } catch {
                note(name, "(unreadable)", source)
                try report(ConfigurationError(variable: name + "_FILE", message: "cannot read \(file)"))
                return nil
            }
        }
        if let value = env[name], !value.isEmpty { return (value, .variable) }
        return nil
    }

    /// Records the first reading of `name`, its value redacted when secret.
    private func note(_ name: String, _ value: String?, _ source: ConfigurationReport.Source) {
        guard noted.insert(name).inserted else { return }
        let shown = value.map { ConfigurationReport.redacted(name, $0) } ?? "(unset)"
        settings.append(ConfigurationReport.Setting(variable: name, value: shown, source: source))
    }
}
