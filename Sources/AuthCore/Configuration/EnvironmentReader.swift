import Foundation

/// Reads typed values from the environment, naming the variable in every error.
struct EnvironmentReader {
    let env: [String: String]

    /// `NAME_FILE`, when set, wins over `NAME` (an image's default must not shadow a mounted secret).
    func string(_ name: String) throws -> String? {
        if let file = env[name + "_FILE"], !file.isEmpty {
            do {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                return text.trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw ConfigurationError(variable: name + "_FILE", message: "cannot read \(file)")
            }
        }
        if let value = env[name], !value.isEmpty { return value }
        return nil
    }

    func int(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = try string(name) else { return value }
        guard let parsed = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw ConfigurationError(variable: name, message: "expected a whole number, got \"\(text.prefix(40))\"")
        }
        guard range.contains(parsed) else {
            throw ConfigurationError(
                variable: name,
                message: "must be between \(range.lowerBound) and \(range.upperBound), got \(parsed)"
            )
        }
        return parsed
    }

    func bool(_ name: String, default value: Bool) throws -> Bool {
        guard let text = try string(name) else { return value }
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw ConfigurationError(variable: name, message: "expected true or false, got \"\(text.prefix(40))\"")
        }
    }
}
