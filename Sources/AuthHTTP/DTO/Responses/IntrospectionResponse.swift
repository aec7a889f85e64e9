import AuthCore

/// The `/auth/verify` answer, written by hand (members sorted, as `JSONResponse`'s encoder sorts them): this is
/// the hottest response authd sends, and a profile showed `JSONEncoder` costing more than the rest of the request.
struct IntrospectionResponse {
    let value: Introspection

    var json: [UInt8] {
        var w = JSONObjectWriter()
        guard value.active else {
            w.add("active", false)
            return w.finished()
        }
        w.add("aal", value.aal)
        w.add("active", true)
        w.add("allowed", value.allowed)
        if !value.amr.isEmpty { w.add("amr", value.amr) }
        w.add("aud", value.audience)
        w.add("email", value.email)
        if let exp = value.expiresAt { w.add("exp", exp) }
        w.add("iat", value.issuedAt)
        w.add("iss", value.issuer)
        w.add("permissions", value.permissions)
        w.add("roles", value.roles)
        if let sid = value.sessionID { w.add("sid", sid) }
        w.add("sub", value.subject)
        w.add("token_type", value.tokenType)
        return w.finished()
    }
}
