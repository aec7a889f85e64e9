import Foundation
import Mustache

/// What a template produced: ready for a `MailMessage`.
public struct RenderedMail: Sendable, Equatable {
    public var subject: String
    public var text: String
    public var html: String

    public init(subject: String, text: String, html: String) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}

/// A template could not be loaded or used. Messages name the file or the kind, nothing from the values.
public enum MailTemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownKind(String)
    case overridesDirectoryUnreadable(String)
    case invalidOverrideName(String)
    case invalidTemplate(file: String, reason: String)

    public var description: String {
        switch self {
        case .unknownKind(let kind): return "no mail template for kind '\(kind)'"
        case .overridesDirectoryUnreadable(let path): return "mail template directory \(path) cannot be read"
        case .invalidOverrideName(let file):
            return "mail template override \(file) is not named <kind>.<locale>.<subject|text|html>.mustache"
        case .invalidTemplate(let file, let reason): return "mail template \(file) does not parse: \(reason)"
        }
    }
}

/// The mails authd sends, in English and German, rendered with Mustache.
///
/// Built in as Swift strings (nothing to ship beside the binary). An operator can replace any part of any kind
/// and add locales with files in `overridesDirectory`: `<kind>.<locale>.subject.mustache`, `….text.mustache`,
/// `….html.mustache`. Values are HTML-escaped in the html part only; subject and text are plain text.
public struct MailTemplates: Sendable {
    public static let kinds = [
        "verify-email", "password-reset", "email-changed", "password-changed", "recovery-code-used", "mfa-reset",
    ]
    public static let locales = ["en", "de"]
    static let parts = ["subject", "text", "html"]

    /// Keyed `kind.locale.part`.
    private let templates: [String: MustacheTemplate]
    /// The built-in locales and any added by overrides.
    public let availableLocales: Set<String>

    public init(overridesDirectory: String?) throws {
        var sources: [String: (source: String, file: String)] = [:]
        for (kind, byLocale) in Self.builtins {
            for (locale, builtin) in byLocale {
                let key = "\(kind).\(locale)."
                sources[key + "subject"] = (builtin.subject, "built-in \(key)subject")
                sources[key + "text"] = (builtin.text, "built-in \(key)text")
                sources[key + "html"] = (builtin.html(locale: locale), "built-in \(key)html")
            }
        }
        if let overridesDirectory {
            for (key, source) in try Self.overrides(in: overridesDirectory) { sources[key] = source }
        }
        var templates: [String: MustacheTemplate] = [:]
        var locales = Set(Self.locales)
        for (key, entry) in sources {
            let parts = key.split(separator: ".").map(String.init)
            // Subject and text are plain text: no HTML escaping of values there.
            let pragma = parts.last == "html" ? "" : "{{% CONTENT_TYPE: TEXT}}"
            do {
                templates[key] = try MustacheTemplate(string: pragma + entry.source)
            } catch let error as MustacheTemplate.ParserError {
                let reason = "\(error.error) at line \(error.context.lineNumber)"
                throw MailTemplateError.invalidTemplate(file: entry.file, reason: reason)
            } catch {
                throw MailTemplateError.invalidTemplate(file: entry.file, reason: "\(error)")
            }
            if parts.count == 3 { locales.insert(parts[1]) }
        }
        self.templates = templates
        self.availableLocales = locales
    }

    /// Renders `kind` in the best locale for `locale` (see `resolveLocale`). Every part missing in that locale
    /// comes from English.
    public func render(kind: String, locale: String?, values: [String: String]) throws -> RenderedMail {
        guard Self.kinds.contains(kind) else { throw MailTemplateError.unknownKind(kind) }
        let chosen = Self.resolveLocale(locale, available: availableLocales)
        func part(_ name: String) throws -> String {
            guard let template = templates["\(kind).\(chosen).\(name)"] ?? templates["\(kind).en.\(name)"] else {
                throw MailTemplateError.unknownKind(kind)
            }
            return template.render(values)
        }
        let subject = try part("subject").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return RenderedMail(subject: subject, text: try part("text"), html: try part("html"))
    }

    /// The lowercased tag when available (`de`), else its primary subtag (`de-AT` → `de`), else `en`.
    public static func resolveLocale(_ locale: String?, available: Set<String>) -> String {
        guard let locale else { return "en" }
        let tag = locale.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
        if available.contains(tag) { return tag }
        if let primary = tag.split(separator: "-").first, available.contains(String(primary)) {
            return String(primary)
        }
        return "en"
    }

    /// Reads `<kind>.<locale>.<part>.mustache` files; other `.mustache` names are errors (a typo should not be
    /// silently ignored), other files are skipped.
    private static func overrides(in directory: String) throws -> [String: (source: String, file: String)] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw MailTemplateError.overridesDirectoryUnreadable(directory)
        }
        var result: [String: (source: String, file: String)] = [:]
        for name in names.sorted() where name.hasSuffix(".mustache") && !name.hasPrefix(".") {
            let parts = name.dropLast(".mustache".count).split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, kinds.contains(String(parts[0])), Self.parts.contains(String(parts[2])),
                isLocaleTag(parts[1])
            else { throw MailTemplateError.invalidOverrideName(name) }
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw MailTemplateError.invalidTemplate(file: name, reason: "cannot be read")
            }
            let key = "\(parts[0]).\(parts[1].lowercased()).\(parts[2])"
            result[key] = (String(decoding: data, as: UTF8.self), name)
        }
        return result
    }

    /// A BCP 47-ish tag: `de`, `pt-br`, `zh-hant-tw` (2–3 letters, then subtags of up to 8 letters or digits).
    private static func isLocaleTag(_ tag: Substring) -> Bool {
        let pieces = tag.split(separator: "-", omittingEmptySubsequences: false)
        func isAlphanumeric(_ character: Character) -> Bool {
            character.isASCII && (character.isLetter || character.isNumber)
        }
        guard let first = pieces.first, (2...3).contains(first.count),
            first.allSatisfy({ $0.isASCII && $0.isLetter })
        else { return false }
        return pieces.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy(isAlphanumeric) }
    }
}
