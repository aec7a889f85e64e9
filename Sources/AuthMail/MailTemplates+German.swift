extension MailTemplates {
    /// "24 hours" for whole hours of two or more, else "60 minutes".
    static let germanLifetime =
        "{{#expires_hours}}{{expires_hours}} Stunden{{/expires_hours}}"
        + "{{^expires_hours}}{{expires_minutes}} Minuten{{/expires_hours}}"

    /// German, formal ("Sie"). Notices say what happened and what to do if it was not you; they never hold a link
    /// or a code.
    static let german: [String: BuiltinTemplate] = [
        "verify-email": BuiltinTemplate(
            subject: "Bestätigen Sie Ihre E-Mail-Adresse für {{product}}",
            blocks: [
                .paragraph("Guten Tag,"),
                .code(label: "Ihr Bestätigungscode:"),
                .paragraph("Damit bestätigen Sie, dass {{email}} Ihre E-Mail-Adresse für {{product}} ist."),
                .link(intro: "Oder bestätigen Sie mit diesem Link:", button: "E-Mail-Adresse bestätigen"),
                .paragraph("Code und Link sind " + germanLifetime + " lang gültig."),
                .paragraph("Wenn Sie das nicht angefordert haben, können Sie diese E-Mail ignorieren."),
            ],
            footer: germanFooter
        ),
        "password-reset": BuiltinTemplate(
            subject: "Passwort für {{product}} zurücksetzen",
            blocks: [
                .paragraph("Guten Tag,"),
                .code(label: "Ihr Code zum Zurücksetzen:"),
                .paragraph("Für {{email}} wurde bei {{product}} das Zurücksetzen des Passworts angefordert."),
                .link(
                    intro: "Oder legen Sie mit diesem Link ein neues Passwort fest:",
                    button: "Passwort zurücksetzen"
                ),
                .paragraph("Code und Link sind " + germanLifetime + " lang gültig und nur einmal verwendbar."),
                .paragraph(
                    "Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt "
                        + "unverändert."
                ),
            ],
            footer: germanFooter
        ),
        "email-changed": BuiltinTemplate(
            subject: "Ihre E-Mail-Adresse bei {{product}} wurde geändert",
            blocks: [
                .paragraph("Guten Tag,"),
                .paragraph(
                    "die E-Mail-Adresse Ihres Kontos bei {{product}} wurde von {{old_email}} auf {{new_email}} "
                        + "geändert. Nachrichten zu Ihrem Konto gehen ab jetzt an die neue Adresse."
                ),
                .paragraph("Wenn Sie das selbst waren, ist nichts weiter zu tun."),
                .paragraph(
                    "Wenn nicht, wenden Sie sich bitte sofort an Ihren Administrator: Möglicherweise hat jemand "
                        + "anderes Zugriff auf Ihr Konto."
                ),
            ],
            footer: germanFooter
        ),
        "password-changed": BuiltinTemplate(
            subject: "Ihr Passwort bei {{product}} wurde geändert",
            blocks: [
                .paragraph("Guten Tag,"),
                .paragraph("das Passwort Ihres Kontos bei {{product}} ({{email}}) wurde soeben geändert."),
                .paragraph("Wenn Sie das selbst waren, ist nichts weiter zu tun."),
                .paragraph(
                    "Wenn nicht, wenden Sie sich bitte sofort an Ihren Administrator: Möglicherweise hat jemand "
                        + "anderes Zugriff auf Ihr Konto."
                ),
            ],
            footer: germanFooter
        ),
        "recovery-code-used": BuiltinTemplate(
            subject: "Wiederherstellungscode für Ihr Konto bei {{product}} verwendet",
            blocks: [
                .paragraph("Guten Tag,"),
                .paragraph(
                    "soeben wurde mit einem Wiederherstellungscode eine Anmeldung bei Ihrem Konto bei {{product}} "
                        + "({{email}}) durchgeführt. Verbleibende Wiederherstellungscodes: {{remaining}}."
                ),
                .paragraph(
                    "Wenn Sie das waren, erstellen Sie am besten neue Wiederherstellungscodes, bevor sie aufgebraucht "
                        + "sind."
                ),
                .paragraph(
                    "Wenn nicht, wenden Sie sich bitte sofort an Ihren Administrator: Möglicherweise hat jemand "
                        + "anderes Zugriff auf Ihr Konto."
                ),
            ],
            footer: germanFooter
        ),
        "mfa-reset": BuiltinTemplate(
            subject: "Zwei-Faktor-Authentifizierung für Ihr Konto bei {{product}} zurückgesetzt",
            blocks: [
                .paragraph("Guten Tag,"),
                .paragraph(
                    "die Zwei-Faktor-Authentifizierung für Ihr Konto bei {{product}} ({{email}}) wurde "
                        + "zurückgesetzt. Bis Sie sie neu einrichten, genügt Ihr Passwort allein zur Anmeldung."
                ),
                .paragraph("Bitte richten Sie die Zwei-Faktor-Authentifizierung bald wieder ein."),
                .paragraph(
                    "Wenn Sie das nicht veranlasst haben, wenden Sie sich bitte sofort an Ihren Administrator: "
                        + "Möglicherweise hat jemand anderes Zugriff auf Ihr Konto."
                ),
            ],
            footer: germanFooter
        ),
    ]

    private static let germanFooter =
        "Diese Nachricht wurde automatisch von {{product}} gesendet. Antworten werden nicht gelesen."
}
