import AuthCore
import Testing

@Suite struct PasswordPolicyTests {
    let policy = PasswordPolicy()

    func codes(_ password: String, email: String? = "ada@example.com") -> [String] {
        policy.check(password, email: email).map(\.code)
    }

    @Test func eightCharactersAreEnoughWithoutCompositionRules() {
        #expect(codes("abcdefgh") == [])
        #expect(codes("correct horse battery staple") == [])
    }

    @Test func sevenCharactersAreTooShort() {
        #expect(codes("abcdefg") == ["too_short"])
    }

    @Test func lengthCountsCharactersNotBytes() {
        // 8 characters, 24 bytes: allowed.
        #expect(codes("日本語のパスワ一") == [])
    }

    @Test func sixtyFourCharactersAreAllowed() {
        #expect(codes(String(repeating: "x1y2", count: 16)) == [])
    }

    @Test func seventyTwoBytesAreAllowedAndSeventyThreeRefused() {
        #expect(codes(String(repeating: "ab", count: 36)) == [])
        #expect(codes(String(repeating: "ab", count: 36) + "c") == ["too_long"])
        // 25 three-byte characters: 75 bytes, refused rather than truncated by bcrypt.
        #expect(codes(String(repeating: "語", count: 25)) == ["too_long"])
    }

    @Test func nulIsRefused() {
        #expect(codes("abcd\0efghij") == ["invalid_characters"])
    }

    @Test func commonPasswordsAreRefusedInAnyCase() {
        #expect(codes("password123") == ["too_common"])
        #expect(codes("PassWord123") == ["too_common"])
    }

    @Test func theShippedListHoldsTensOfThousandsOfLeakedPasswordsNotAHandful() {
        #expect(PasswordPolicy.commonPasswords.count >= 10_000)
        // Entries from the far end of the frequency list, not only the famous ones.
        for password in ["mazda626", "manchester1", "wonderwall", "satchel1", "1qazxsw23edc"] {
            #expect(codes(password) == ["too_common"], "\(password)")
        }
    }

    @Test func aPasswordOnNoListIsAccepted() {
        #expect(codes("violet-ledger-otter-42").isEmpty)
    }

    @Test func passwordEqualToTheEmailOrItsLocalPartIsRefused() {
        #expect(codes("ada@example.com") == ["matches_email"])
        #expect(codes("adalovelace1", email: "adalovelace1@example.com") == ["matches_email"])
    }

    @Test func blocklistFileEntriesAreRefused() {
        let custom = PasswordPolicy(extraBlocklist: ["companyname2026", "  Another-Secret  "])
        #expect(custom.check("CompanyName2026", email: nil).map(\.code) == ["too_common"])
        #expect(custom.check("another-secret", email: nil).map(\.code) == ["too_common"])
    }
}

@Suite struct EmailAddressTests {
    @Test func isTrimmedAndLowerCased() {
        #expect(EmailAddress.normalize("  Ada.Lovelace+x@Example.COM ") == "ada.lovelace+x@example.com")
    }

    @Test(arguments: [
        "", "plain", "@example.com", "ada@", "ada@example", "ada@@example.com", "a b@example.com",
        ".ada@example.com", "ada.@example.com", "a..b@example.com", "ada@-example.com", "ada@example.c_m",
        "ada@example.123", "ada\n@example.com",
    ])
    func invalidAddressesAreRefused(_ address: String) {
        #expect(EmailAddress.normalize(address) == nil)
    }

    @Test func atMost254Characters() {
        let local = String(repeating: "a", count: 64)
        let domain = (0..<4).map { _ in String(repeating: "b", count: 45) }.joined(separator: ".") + ".com"
        let address = local + "@" + domain
        #expect(address.count <= 254)
        #expect(EmailAddress.normalize(address) != nil)
        #expect(EmailAddress.normalize(local + "@" + String(repeating: "c", count: 60) + "." + domain) == nil)
    }
}

@Suite struct BcryptPasswordHasherTests {
    @Test func passwordsOver72BytesNeverMatchEvenWhenTheyStartWithTheRealOne() async throws {
        let hasher = BcryptPasswordHasher(cost: 4, threads: 1)
        let password = String(repeating: "ab", count: 36)  // exactly 72 bytes
        let hash = try await hasher.hash(password)
        #expect(try await hasher.verify(password, hash: hash))
        #expect(try await hasher.verify(password + "x", hash: hash) == false)
        #expect(try await hasher.verify("wrong password", hash: hash) == false)
    }
}

@Suite struct StoredRequestMetaTests {
    @Test func aUserAgentIsStoredWithoutNULAndAtMost512Characters() {
        #expect(RequestMeta(userAgent: "curl\u{0}/8").userAgent == "curl\u{FFFD}/8")
        #expect(RequestMeta(userAgent: String(repeating: "é", count: 600)).userAgent?.count == 512)
    }
}
