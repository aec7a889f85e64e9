import Foundation
import Testing

@testable import AuthMail

@Suite("MailTemplates")
struct MailTemplatesTests {
    static let values = [
        "product": "Acme Cloud",
        "email": "user@example.com",
        "old_email": "old@example.com",
        "new_email": "new@example.com",
        "link": "https://auth.example.com/verify?token=LINKTOKEN&x=1",
        "code": "482913",
        "expires_minutes": "15",
        "remaining": "7",
    ]

    /// Every run of exactly six digits in `text`.
    static func sixDigitRuns(_ text: String) -> [String] {
        var runs: [String] = []
        var current = ""
        for character in text + " " {
            if character.isASCII && character.isNumber {
                current.append(character)
            } else {
                if current.count == 6 { runs.append(current) }
                current = ""
            }
        }
        return runs
    }

    @Test(arguments: MailTemplates.kinds)
    func everyKindRendersInEveryLocale(kind: String) throws {
        let templates = try MailTemplates(overridesDirectory: nil)
        var subjects: Set<String> = []
        for locale in MailTemplates.locales {
            let mail = try templates.render(kind: kind, locale: locale, values: Self.values)
            subjects.insert(mail.subject)
            for part in [mail.subject, mail.text, mail.html] {
                #expect(!part.isEmpty)
                #expect(!part.contains("{{") && !part.contains("}}"))
                #expect(part.contains("Acme Cloud"))
            }
            #expect(!mail.subject.contains("\n"))
            #expect(mail.html.hasPrefix("<!DOCTYPE html>"))
            #expect(mail.html.contains("<html lang=\"\(locale)\">"))
            for forbidden in ["<table", "<img", "<script", "src=", "url(", "@import"] {
                #expect(!mail.html.lowercased().contains(forbidden), "\(kind).\(locale) html has \(forbidden)")
            }
            if kind == "verify-email" || kind == "password-reset" {
                #expect(mail.text.contains("482913") && mail.html.contains("482913"))
                #expect(mail.text.contains(Self.values["link"]!))
                #expect(mail.html.contains("https://auth.example.com/verify?token=LINKTOKEN&amp;x=1"))
                #expect(mail.text.contains("15"))
            } else {
                // Notices never carry a link token or a code.
                for part in [mail.subject, mail.text, mail.html] {
                    #expect(!part.contains("LINKTOKEN") && !part.contains("482913"))
                }
            }
        }
        #expect(subjects.count == 2, "en and de differ")
    }

    @Test(arguments: ["verify-email", "password-reset"], MailTemplates.locales)
    func codeComesBeforeTheLinkAndIsTheOnlySixDigitRun(kind: String, locale: String) throws {
        let mail = try MailTemplates(overridesDirectory: nil).render(kind: kind, locale: locale, values: Self.values)
        let code = try #require(mail.text.range(of: "482913"))
        let link = try #require(mail.text.range(of: "https://auth.example.com"))
        #expect(code.lowerBound < link.lowerBound)
        #expect(Self.sixDigitRuns(mail.text) == ["482913"])
    }

    @Test func htmlEscapesValuesButTextDoesNot() throws {
        var values = Self.values
        values["product"] = "<script>alert(1)</script> & Co"
        let mail = try MailTemplates(overridesDirectory: nil).render(
            kind: "password-changed",
            locale: "en",
            values: values
        )
        #expect(!mail.html.contains("<script>"))
        #expect(mail.html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"))
        #expect(mail.text.contains("<script>alert(1)</script> & Co"))
        #expect(mail.subject.contains("<script>alert(1)</script> & Co"))
    }

    @Test func localeFallback() throws {
        let templates = try MailTemplates(overridesDirectory: nil)
        let german = try templates.render(kind: "password-changed", locale: "de", values: Self.values).subject
        let english = try templates.render(kind: "password-changed", locale: "en", values: Self.values).subject
        #expect(german != english)
        for (locale, expected) in [
            ("de-AT", german), ("DE", german), ("de_CH", german), ("fr", english), (nil, english), ("", english),
        ] {
            #expect(
                try templates.render(kind: "password-changed", locale: locale, values: Self.values).subject == expected
            )
        }
        #expect(MailTemplates.resolveLocale("de-AT", available: ["en", "de", "de-at"]) == "de-at")
    }

    @Test func overridesReplacePartsAndAddLocales() async throws {
        try await withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            func write(_ name: String, _ content: String) throws {
                try content.write(
                    toFile: (directory as NSString).appendingPathComponent(name),
                    atomically: true,
                    encoding: .utf8
                )
            }
            try write("verify-email.en.subject.mustache", "Welcome to {{product}}, please confirm")
            try write("password-changed.fr.text.mustache", "Bonjour, le mot de passe de {{email}} a été modifié.\n")
            try write("README.txt", "not a template")
            let templates = try MailTemplates(overridesDirectory: directory)
            let builtin = try MailTemplates(overridesDirectory: nil)

            let verify = try templates.render(kind: "verify-email", locale: "en", values: Self.values)
            #expect(verify.subject == "Welcome to Acme Cloud, please confirm")
            let original = try builtin.render(kind: "verify-email", locale: "en", values: Self.values)
            #expect(verify.text == original.text)
            #expect(verify.html == original.html)

            let french = try templates.render(kind: "password-changed", locale: "fr-CA", values: Self.values)
            #expect(french.text == "Bonjour, le mot de passe de user@example.com a été modifié.\n")
            #expect(
                french.subject
                    == (try builtin.render(kind: "password-changed", locale: "en", values: Self.values)).subject
            )
        }
    }

    @Test func brokenOverrideFailsAtStartupNamingTheFile() async throws {
        try await withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = (directory as NSString).appendingPathComponent("mfa-reset.de.html.mustache")
            try "<p>{{#open}}never closed</p>".write(toFile: path, atomically: true, encoding: .utf8)
            do {
                _ = try MailTemplates(overridesDirectory: directory)
                Issue.record("expected the broken template to be refused")
            } catch let error as MailTemplateError {
                #expect(error.description.contains("mfa-reset.de.html.mustache"))
            }
        }
    }

    @Test func misnamedOverrideIsAnError() async throws {
        try await withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = (directory as NSString).appendingPathComponent("verify-emial.en.text.mustache")
            try "x".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: MailTemplateError.invalidOverrideName("verify-emial.en.text.mustache")) {
                try MailTemplates(overridesDirectory: directory)
            }
        }
    }

    @Test func unknownKindIsAnError() throws {
        #expect(throws: MailTemplateError.unknownKind("nope")) {
            try MailTemplates(overridesDirectory: nil).render(kind: "nope", locale: "en", values: [:])
        }
    }
}
