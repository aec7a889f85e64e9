import Foundation

/// The building blocks of the built-in templates: each mail is written once as blocks, and its text and html
/// parts are generated from them, so the two parts cannot drift apart.
struct BuiltinTemplate {
    enum Block {
        /// A paragraph (may hold `{{variables}}`).
        case paragraph(String)
        /// A label, then the one-time code: on its own line in text, large in html.
        case code(label: String)
        /// A call to action: `intro` then the bare link in text; a button labelled `button` in html.
        case link(intro: String, button: String)
    }

    var subject: String
    var blocks: [Block]
    /// The line under the mail, in the html part's small print and at the end of the text.
    var footer: String

    /// Paragraphs separated by blank lines. The code comes where its block is: the verify and reset mails put it
    /// before the link, because clients that pick the code out of the text take the first run of six digits.
    var text: String {
        let body = blocks.map { block -> String in
            switch block {
            case .paragraph(let text): return text
            case .code(let label): return "\(label) {{code}}"
            case .link(let intro, _): return "\(intro)\n{{link}}"
            }
        }
        return (body + ["-- \n\(footer)"]).joined(separator: "\n\n") + "\n"
    }

    /// A small inline-styled page: no tables, images, remote resources or scripts, so it shows the same in every
    /// client and loads nothing from anywhere.
    func html(locale: String) -> String {
        let body = blocks.map { block -> String in
            switch block {
            case .paragraph(let text):
                return "<p style=\"margin:0 0 16px;\">\(escape(text))</p>"
            case .code(let label):
                return "<p style=\"margin:0 0 4px;\">\(escape(label))</p>\n"
                    + "<p style=\"margin:0 0 16px;font-family:Menlo,Consolas,monospace;font-size:28px;"
                    + "font-weight:600;letter-spacing:4px;\">{{code}}</p>"
            case .link(let intro, let button):
                return "<p style=\"margin:0 0 16px;\"><a href=\"{{link}}\" style=\"display:inline-block;"
                    + "padding:12px 20px;background:#1f6feb;color:#ffffff;text-decoration:none;border-radius:6px;"
                    + "font-weight:600;\">\(escape(button))</a></p>\n"
                    + "<p style=\"margin:0 0 16px;font-size:13px;color:#57606a;\">\(escape(intro))<br>"
                    + "<a href=\"{{link}}\" style=\"color:#1f6feb;word-break:break-all;\">{{link}}</a></p>"
            }
        }
        return """
            <!DOCTYPE html>
            <html lang="\(locale)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(subject))</title>
            </head>
            <body style="margin:0;padding:24px 12px;background:#f4f5f7;color:#1f2328;\
            font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;">
            <div style="max-width:560px;margin:0 auto;padding:32px;background:#ffffff;border-radius:8px;">
            \(body.joined(separator: "\n"))
            </div>
            <p style="max-width:560px;margin:16px auto 0;font-size:12px;color:#6e7781;text-align:center;">\
            \(escape(footer))</p>
            </body>
            </html>

            """
    }

    /// Escapes the fixed text for html; `{{variables}}` pass untouched and Mustache escapes their values.
    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\n", with: "<br>\n")
    }
}

extension MailTemplates {
    /// kind → locale → template.
    static let builtins: [String: [String: BuiltinTemplate]] = {
        var all: [String: [String: BuiltinTemplate]] = [:]
        for (kind, template) in english { all[kind, default: [:]]["en"] = template }
        for (kind, template) in german { all[kind, default: [:]]["de"] = template }
        return all
    }()
}
