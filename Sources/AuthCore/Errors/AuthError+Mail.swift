extension AuthError {
    /// A mailed link or code that is wrong, used, replaced by a newer one, out of tries or expired: one answer for
    /// all, so it tells nothing about which (a malformed request, as the contract says).
    public static let invalidOrExpiredCode = AuthError(
        .malformed,
        code: "invalid_or_expired_code",
        detail: "The link or code is invalid, used or expired; request a new one."
    )
    /// `AUTH_EMAIL_VERIFICATION_REQUIRED`: the password was right, the address is not proven yet.
    public static let emailNotVerified = AuthError(
        .forbidden,
        code: "email_not_verified",
        detail: "Verify your email address first; POST /auth/email/resend sends a new link."
    )
    public static let emailAlreadyVerified = AuthError(
        .conflict,
        code: "email_already_verified",
        detail: "This email address is already verified."
    )
}
