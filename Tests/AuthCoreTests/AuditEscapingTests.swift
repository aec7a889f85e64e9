import AuthCore
import Testing

/// What users send is made printable before it is stored in an audit event, reversibly.
@Suite struct AuditEscapingTests {
    @Test func controlsAreEscapedAndABackslashIsDoubledSoNothingPassesForAnEscape() {
        #expect(AuditLog.printable("a\nb") == #"a\u{a}b"#)
        // The six characters `\u{a}` typed by a user read differently from an escaped newline.
        #expect(AuditLog.printable(#"a\u{a}b"#) == #"a\\u{a}b"#)
        #expect(AuditLog.printable(#"a\u{a}b"#) != AuditLog.printable("a\nb"))
    }

    @Test func bidiControlsAndLineSeparatorsAreEscaped() {
        #expect(AuditLog.printable("admin\u{202E}moc.evil") == #"admin\u{202e}moc.evil"#)
        #expect(AuditLog.printable("x\u{2066}y\u{2069}") == #"x\u{2066}y\u{2069}"#)
        #expect(AuditLog.printable("a\u{2028}b\u{2029}c") == #"a\u{2028}b\u{2029}c"#)
        #expect(AuditLog.printable("Ünal é") == "Ünal é")
    }
}
