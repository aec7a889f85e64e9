import AuthCore

/// The `/auth/verify` answer, written by hand (members sorted, as `JSONResponse`'s encoder sorts them): this is
/// the hottest response authd sends, and a profile showed `JSONEncoder` costing more than the rest of the request.
struct IntrospectionResponse {
    let value: Introspection

    var json: [UInt8] {
        var w = JSONObjectWriter()
        w.add("active", value.active)
        guard value.active, let claims = value.claims else { return w.finished() }
        w.add("allowed", value.allowed)
        w.add("aud", claims.aud)
        w.add("email", value.email)
        w.add("exp", claims.exp)
        w.add("iat", claims.iat)
        w.add("iss", claims.iss)
        w.add("permissions", value.permissions)
        w.add("roles", value.roles)
        w.add("sid", claims.sid)
        w.add("sub", claims.sub)
        w.add("token_type", "Bearer")
        return w.finished()
    }
}
