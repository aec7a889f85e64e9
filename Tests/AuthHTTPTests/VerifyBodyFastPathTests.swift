import AuthCore
import Foundation
import Testing

@testable import AuthHTTP

/// `/auth/verify`'s hand-written body reader gives what the generic decoder gives, or steps aside.
@Suite struct VerifyBodyFastPathTests {
    static let bodies = [
        #"{"token": "abc"}"#,
        #"{"token": "abc", "required_permissions": ["users:read", "x:y"]}"#,
        #"{"token": "abc", "required_permissions": null, "required_aal": null, "extra": {"a": [1, 2]}}"#,
        #"{"token": "abc", "required_permissions": []}"#,
    ]
    /// Shapes the fast path leaves to the generic decoder (which answers them, possibly with a 422).
    static let declined = [
        #"{"token": 5}"#, #"{"required_permissions": ["a"]}"#, #"{"token": "a", "required_aal": 2}"#,
        #"{"token": "a", "required_permissions": "users:read"}"#, #"{"token": "a", "required_permissions": [1]}"#,
        #"{"token": "a\u0000b"}"#, #"{"token": "a", "required_permissions": ["a\u0000"]}"#,
        "{\"token\": \"" + String(repeating: "t", count: FieldLimits.introspectedToken + 1) + "\"}",
        "{\"token\": \"a\", \"required_permissions\": [\"" + String(repeating: "p", count: 201) + "\"]}",
    ]

    static func members(_ text: String) throws -> [String: JSONValue] {
        guard case .object(let members) = try JSONParser.parse(Array(text.utf8)) else { throw CancellationError() }
        return members
    }

    @Test(arguments: bodies)
    func theFastPathAgreesWithTheDecoder(_ text: String) throws {
        let fast = try #require(VerifyRequest.fast(try Self.members(text)))
        let generic = try StrictRequestDecoder.decode(VerifyRequest.self, from: try JSONParser.parse(Array(text.utf8)))
        #expect(fast.token == generic.token && fast.required_permissions == generic.required_permissions)
        #expect(fast.required_aal == generic.required_aal)
    }

    @Test(arguments: declined)
    func otherShapesAreLeftToTheDecoder(_ text: String) throws {
        #expect(VerifyRequest.fast(try Self.members(text)) == nil)
    }
}
