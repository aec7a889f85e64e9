extension MailTemplates {
    /// "24 hours" for whole hours of two or more, else "60 minutes".
    static let englishLifetime =
        "{{#expires_hours}}{{expires_hours}} hours{{/expires_hours}}"
        + "{{^expires_hours}}{{expires_minutes}} minutes{{/expires_hours}}"

    /// English. Notices say what happened and what to do if it was not you; they never hold a link or a code.
    static let english: [String: BuiltinTemplate] = [
        "verify-email": BuiltinTemplate(
            subject: "Confirm your email address for {{product}}",
            blocks: [
                .paragraph("Hello,"),
                // The code comes before anything else with digits in it (the address): clients take the first
                // six-digit run of the text.
                .code(label: "Your confirmation code:"),
                .paragraph("It confirms that {{email}} is your email address for {{product}}."),
                .link(intro: "Or confirm with this link:", button: "Confirm email address"),
                .paragraph("The code and the link expire in " + englishLifetime + "."),
                .paragraph("If you did not ask for this, you can ignore this email."),
            ],
            footer: englishFooter
        ),
        "password-reset": BuiltinTemplate(
            subject: "Reset your {{product}} password",
            blocks: [
                .paragraph("Hello,"),
                .code(label: "Your reset code:"),
                .paragraph("We received a request to reset the password for {{email}} at {{product}}."),
                .link(intro: "Or choose a new password with this link:", button: "Reset password"),
                .paragraph("The code and the link expire in " + englishLifetime + " and work only once."),
                .paragraph("If you did not ask for this, ignore this email: your password stays unchanged."),
            ],
            footer: englishFooter
        ),
        "email-changed": BuiltinTemplate(
            subject: "Your {{product}} email address was changed",
            blocks: [
                .paragraph("Hello,"),
                .paragraph(
                    "the email address of your {{product}} account was changed from {{old_email}} to "
                        + "{{new_email}}. Mail about your account now goes to the new address."
                ),
                .paragraph("If you made this change, there is nothing more to do."),
                .paragraph(
                    "If you did not, contact your administrator right away: someone else may have access to "
                        + "your account."
                ),
            ],
            footer: englishFooter
        ),
        "password-changed": BuiltinTemplate(
            subject: "Your {{product}} password was changed",
            blocks: [
                .paragraph("Hello,"),
                .paragraph("the password of your {{product}} account ({{email}}) was just changed."),
                .paragraph("If you made this change, there is nothing more to do."),
                .paragraph(
                    "If you did not, contact your administrator right away: someone else may have access to "
                        + "your account."
                ),
            ],
            footer: englishFooter
        ),
        "recovery-code-used": BuiltinTemplate(
            subject: "A recovery code was used for your {{product}} account",
            blocks: [
                .paragraph("Hello,"),
                .paragraph(
                    "a recovery code was just used to sign in to your {{product}} account ({{email}}). "
                        + "Recovery codes left: {{remaining}}."
                ),
                .paragraph("If that was you, consider creating new recovery codes before you run out."),
                .paragraph(
                    "If it was not you, contact your administrator right away: someone else may have access to "
                        + "your account."
                ),
            ],
            footer: englishFooter
        ),
        "mfa-reset": BuiltinTemplate(
            subject: "Two-factor authentication was reset for your {{product}} account",
            blocks: [
                .paragraph("Hello,"),
                .paragraph(
                    "two-factor authentication for your {{product}} account ({{email}}) was reset. Until you set "
                        + "it up again, your password alone lets you sign in."
                ),
                .paragraph("Please set up two-factor authentication again soon."),
                .paragraph(
                    "If you did not ask for this, contact your administrator right away: someone else may have "
                        + "access to your account."
                ),
            ],
            footer: englishFooter
        ),
    ]

    private static let englishFooter = "This is an automated message from {{product}}. Replies are not read."
}
