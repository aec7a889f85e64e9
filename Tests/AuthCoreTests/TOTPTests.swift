import AuthCore
import Foundation
import Testing

/// RFC 6238 appendix B (SHA-1) and RFC 4648 base32.
@Suite struct TOTPTests {
    static let rfcKey = Array("12345678901234567890".utf8)

    @Test(arguments: [
        (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"), (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
    ])
    func rfc6238Vectors(_ time: Int, _ expected: String) {
        let totp = TOTP(key: Self.rfcKey)
        let step = TOTP.step(at: Date(timeIntervalSince1970: TimeInterval(time)))
        #expect(totp.code(step: step, digits: 8) == expected)
        // Six digits keep the leading zero (HummingbirdOTP's Int would drop it).
        #expect(totp.code(step: step) == String(expected.suffix(6)))
    }

    @Test func base32RoundTripsAndMatchesRFC4648() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.decode("mzxw6ytboi======") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW 6YTB-OI") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW1") == nil)
        let key = TOTP.generateKey()
        #expect(key.count == 20 && Base32.decode(Base32.encode(key)) == key)
        #expect(TOTP(base32: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")?.key == Self.rfcKey)
    }

    @Test func oneStepOfSkewEitherSideAndNoMore() {
        let totp = TOTP(key: Self.rfcKey)
        let now = Date(timeIntervalSince1970: 1_800_000_015)
        let step = TOTP.step(at: now)
        for offset in [-1, 0, 1] {
            #expect(totp.matchingStep(totp.code(step: step + Int64(offset)), at: now) == step + Int64(offset))
        }
        for offset in [-2, 2] {
            #expect(totp.matchingStep(totp.code(step: step + Int64(offset)), at: now) == nil)
        }
        #expect(totp.matchingStep("12345", at: now) == nil)
        #expect(totp.matchingStep("abcdef", at: now) == nil)
        #expect(totp.matchingStep(" " + totp.code(step: step) + " ", at: now) == step)
    }

    @Test func theProvisioningURIIsWhatAuthenticatorAppsRead() {
        let uri = TOTP.provisioningURI(secret: "JBSWY3DPEHPK3PXP", account: "ada+1@example.com", issuer: "Acme Auth")
        #expect(
            uri == "otpauth://totp/Acme%20Auth:ada%2B1%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Auth"
                + "&algorithm=SHA1&digits=6&period=30"
        )
    }
}
