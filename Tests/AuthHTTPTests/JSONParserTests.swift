import AuthCore
import Foundation
import Testing

@testable import AuthHTTP
@testable import AuthRuntime

/// The request-body parser: RFC 8259, strictly.
@Suite struct JSONParserTests {
    func parse(_ text: String) -> JSONValue? { try? JSONParser.parse(Array(text.utf8)) }

    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(
            Array(
                #" { "s": "a\"b\\c\/d\n\t\u00e9\ud83d\ude00", "n": -12.5e2, "z": 0, "t": true, "f": false, "x": null, "a": [1, [], {}] } "#
                    .utf8
            )
        )
        #expect(
            value
                == .object([
                    "s": .string("a\"b\\c/d\n\té😀"), "n": .number(-1250), "z": .number(0), "t": .bool(true),
                    "f": .bool(false), "x": .null,
                    "a": .array([.number(1), .array([]), .object([:])]),
                ])
        )
        #expect(parse("\"é😀\"") == .string("é😀"))
        #expect(parse("-0") == .number(0) && parse("1E+2") == .number(100) && parse("0.5") == .number(0.5))
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "01", "1.", ".5", "-", "+1", "1e",
        "1e+", "0x10",
        "NaN", "Infinity", "1e400", "tru", "nul", "falsey", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\u0041\"", "\"a\u{1}b\"", "\"a\nb\"", "{\"a\":1}{", "[1] 2", "{\"a\":1,\"a\":2}", "\u{FEFF}{}",
    ])
    func refusesMalformedInput(_ text: String) {
        #expect(parse(text) == nil)
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect((try? JSONParser.parse([0x22, 0xFF, 0x22])) == nil)
        #expect((try? JSONParser.parse([0x22, 0xC3, 0x22])) == nil)
        #expect((try? JSONParser.parse([0x22, 0xED, 0xA0, 0x80, 0x22])) == nil)  // an encoded surrogate
        let limit = JSONParser.maxDepth
        #expect(parse(String(repeating: "[", count: limit) + String(repeating: "]", count: limit)) != nil)
        #expect(parse(String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)) == nil)
        #expect(parse(String(repeating: "{\"a\":", count: 100_000)) == nil)
    }

    @Test func agreesWithFoundationOnWhatFoundationAccepts() throws {
        let samples = [
            #"{"token":"eyJhbGciOiJFUzI1NiJ9.e30.sig","required_permissions":["users:read","*"]}"#,
            #"{"display_name":"Zoë \u2603","locale":null,"n":[1.25,-3,4e-2]}"#, #"[{"a":[{"b":{}}]}]"#, #""\u0000""#,
        ]
        for sample in samples {
            let ours = try JSONParser.parse(Array(sample.utf8))
            let theirs = try JSONSerialization.jsonObject(with: Data(sample.utf8), options: .fragmentsAllowed)
            #expect(Self.plain(ours) == theirs as? NSObject, "\(sample)")
        }
    }

    static func plain(_ value: JSONValue) -> NSObject {
        switch value {
        case .null: NSNull()
        case .bool(let b): NSNumber(value: b)
        case .number(let n): NSNumber(value: n)
        case .string(let s): NSString(string: s)
        case .array(let items): NSArray(array: items.map(plain))
        case .object(let members): NSDictionary(dictionary: members.mapValues(plain))
        }
    }

    @Test func theIntrospectionWriterMatchesTheEncoder() throws {
        var w = JSONObjectWriter()
        w.add("a", true)
        w.add("b", -42)
        w.add("c", "quote\" backslash\\ slash/ nl\n tab\t nul\u{0} bell\u{7} é 😀")
        w.add("d", ["x", "y\"z"])
        let ours = w.finished()
        struct Same: Encodable { let a: Bool, b: Int, c: String, d: [String] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let theirs = try encoder.encode(
            Same(a: true, b: -42, c: "quote\" backslash\\ slash/ nl\n tab\t nul\u{0} bell\u{7} é 😀", d: ["x", "y\"z"])
        )
        let a = try JSONSerialization.jsonObject(with: Data(ours)) as? NSDictionary
        let b = try JSONSerialization.jsonObject(with: theirs) as? NSDictionary
        #expect(a != nil && a == b)
    }

    /// `UserResponse.json` (what every user answer sends) is the document `JSONEncoder` would write: every member,
    /// `null` for absent profile fields, the `/auth/me` extras only when set, and strings that need escaping.
    @Test(arguments: [false, true])
    func theUserWriterMatchesTheEncoder(_ full: Bool) throws {
        let user = User(
            email: "writer@example.com",
            passwordHash: "never shown",
            profile: full
                ? UserProfile(
                    displayName: "Zoë \"Q\" \\ /\n\u{1}",
                    givenName: "Zoë",
                    familyName: "O'Neil",
                    locale: "de-AT",
                    timezone: "Europe/Vienna",
                    avatarURL: "https://example.com/a.png"
                )
                : UserProfile(),
            isVerified: full,
            createdAt: Date(timeIntervalSince1970: 1_700_000_000.123),
            updatedAt: Date(timeIntervalSince1970: 1_700_000_500),
            lastLoginAt: full ? Date(timeIntervalSince1970: 1_700_000_900) : nil,
            roles: full ? ["admin", "user"] : []
        )
        var response = UserResponse(UserWithPermissions(user: user, permissions: full ? ["users:read", "*"] : []))
        if full {
            response.aal = 2
            response.amr = ["pwd", "otp"]
            response.mfaEnabled = true
        }
        let ours = try JSONSerialization.jsonObject(with: Data(response.json)) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: try JSONResponse.encoder.encode(response)) as? NSDictionary
        #expect(ours != nil && ours == theirs)
        #expect(String(decoding: response.json, as: UTF8.self).contains("never shown") == false)
        #expect((ours?["display_name"] is NSNull) == !full)
        #expect((ours?["aal"] != nil) == full)
    }
}
