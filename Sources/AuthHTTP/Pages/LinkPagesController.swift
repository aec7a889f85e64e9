import AuthCore
import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// The pages the mailed links open (`GET /reset-password`, `GET /verify-email`), unless `AUTH_LINK_URL_TEMPLATE_*` send
/// the links to the application's own. The token travels in the URL's fragment, which browsers never send to a server
/// (so it is in no access log and no Referer); the page's script reads it, removes it from the address bar, and posts
/// it to this origin's API only. No third-party resource is loaded, and the Content-Security-Policy allows nothing
/// else: scripts, styles and requests from this origin only, no framing, no form posts elsewhere.
struct LinkPagesController {
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    let library: MustacheLibrary
    /// The path authd is served under (from `AUTH_PUBLIC_URL`), so the pages call the right API behind a proxy.
    let basePath: String
    let product: String

    init(publicBaseURL: String, product: String = "authd") throws {
        var library = MustacheLibrary()
        try library.register(LinkPageTemplates.layout, named: "layout")
        try library.register(LinkPageTemplates.reset, named: "reset")
        try library.register(LinkPageTemplates.verify, named: "verify")
        self.library = library
        var path = URL(string: publicBaseURL)?.path ?? ""
        while path.hasSuffix("/") { path.removeLast() }
        basePath = path
        self.product = product
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("reset-password") { _, _ in try self.page("reset", title: "Choose a new password") }
        router.get("verify-email") { _, _ in try self.page("verify", title: "Confirm your email address") }
        router.get("assets/link-pages.js") { _, _ in
            Self.asset(LinkPageTemplates.script, type: "text/javascript; charset=utf-8")
        }
        router.get("assets/link-pages.css") { _, _ in
            Self.asset(LinkPageTemplates.stylesheet, type: "text/css; charset=utf-8")
        }
    }

    func page(_ name: String, title: String) throws -> Response {
        let values: [String: String] = ["title": title, "product": product, "base": basePath]
        guard let body = library.render(values, withTemplate: name) else { throw AuthError.internalError }
        var response = Self.asset(body, type: "text/html; charset=utf-8")
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        return response
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
}
