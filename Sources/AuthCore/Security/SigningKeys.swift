import Crypto
import CryptoExtras
import Foundation
import JWTKit

/// One key that signs or verifies access tokens, with its algorithm pinned.
public struct SigningKey: Sendable {
    public let kid: String
    public let algorithm: AuthConfiguration.JWTAlgorithmName
    public let createdAt: Date
    /// The public half as a JWK, or nil for HMAC keys (never published).
    public let publicJWK: [String: String]?
    let keys: JWTKeyCollection

    /// Builds the key from its stored form: PEM for ES256 and RS256, base64 raw bytes for EdDSA.
    public static func load(
        kid: String,
        algorithm: AuthConfiguration.JWTAlgorithmName,
        material: String,
        createdAt: Date
    ) async throws -> SigningKey {
        let keys = JWTKeyCollection()
        let id = JWKIdentifier(string: kid)
        var jwk: [String: String]
        switch algorithm {
        case .es256:
            let key = try ES256PrivateKey(pem: material)
            await keys.add(ecdsa: key, kid: id)
            guard let parameters = key.parameters else { throw SigningKeyError.unusableKey }
            jwk = ["kty": "EC", "crv": "P-256", "x": parameters.x, "y": parameters.y]
        case .eddsa:
            guard let raw = Data(base64Encoded: material) else { throw SigningKeyError.unusableKey }
            let backing = try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
            await keys.add(eddsa: EdDSA.PrivateKey(backing: backing), kid: id)
            jwk = ["kty": "OKP", "crv": "Ed25519", "x": backing.publicKey.rawRepresentation.base64URLEncodedString()]
        case .rs256:
            let key = try Insecure.RSA.PrivateKey(pem: material)
            await keys.add(rsa: key, digestAlgorithm: .sha256, kid: id)
            let primitives = try key.publicKey.getKeyPrimitives()
            jwk = [
                "kty": "RSA", "n": primitives.modulus.base64URLEncodedString(),
                "e": primitives.publicExponent.base64URLEncodedString(),
            ]
        case .hs256:
            await keys.add(hmac: HMACKey(from: material), digestAlgorithm: .sha256, kid: id)
            return SigningKey(kid: kid, algorithm: algorithm, createdAt: createdAt, publicJWK: nil, keys: keys)
        }
        jwk["kid"] = kid
        jwk["alg"] = algorithm.rawValue
        jwk["use"] = "sig"
        return SigningKey(kid: kid, algorithm: algorithm, createdAt: createdAt, publicJWK: jwk, keys: keys)
    }

    /// Signs claims with this key; the header carries `kid`, `alg` and `typ`.
    public func sign(_ claims: AccessTokenClaims, typ: String? = "at+jwt") async throws -> String {
        var header = JWTHeader()
        header.typ = typ
        header.kid = kid
        header.alg = algorithm.rawValue
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid), header: header)
    }

    /// Checks the signature with this key and decodes the claims (they are validated by the caller).
    public func verify(_ token: String) async throws -> AccessTokenClaims {
        try await keys.verify(token, as: AccessTokenClaims.self)
    }

    /// Fresh key material for an asymmetric algorithm, in the form `load` takes.
    public static func generateMaterial(for algorithm: AuthConfiguration.JWTAlgorithmName) throws -> String {
        switch algorithm {
        case .es256: return ES256PrivateKey().pemRepresentation
        case .eddsa: return Curve25519.Signing.PrivateKey().rawRepresentation.base64EncodedString()
        case .rs256: return try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation
        case .hs256: throw SigningKeyError.symmetricKeyNotGenerated
        }
    }

    /// Reads a private key file: PEM for ES256 and RS256 (and EdDSA as PKCS#8 PEM).
    public static func materialFromFile(_ path: String, algorithm: AuthConfiguration.JWTAlgorithmName) throws -> String
    {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(variable: "AUTH_JWT_PRIVATE_KEY_FILE", message: "cannot read \(path)")
        }
        if algorithm == .eddsa {
            guard let key = try? Curve25519.Signing.PrivateKey(pemRepresentation: text) else {
                throw ConfigurationError(
                    variable: "AUTH_JWT_PRIVATE_KEY_FILE",
                    message: "not an Ed25519 private key in PEM"
                )
            }
            return key.rawRepresentation.base64EncodedString()
        }
        return text
    }

    /// A stable key id for a key file: the first 16 bytes of the SHA-256 of the key material, base64url. For
    /// asymmetric keys only, whose public half is published anyway.
    public static func kid(for material: String) -> String {
        Data(SHA256.hash(data: Data(material.utf8)).prefix(16)).base64URLEncodedString()
    }

    /// The key id of an HS256 secret: an HMAC keyed by the secret over a fixed label, never a plain hash of the
    /// secret. Every instance sharing the secret derives the same id, and the id tells an attacker no more than
    /// any HS256 token already does (which is itself an HMAC keyed by the secret): there is no unkeyed digest of
    /// the secret to look up in precomputed tables.
    public static func hmacKID(for secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("authd access-token key id v1".utf8),
            using: SymmetricKey(data: Data(secret.utf8))
        )
        return "hs-" + Data(mac).prefix(16).base64URLEncodedString()
    }
}

public enum SigningKeyError: Error {
    case unusableKey
    case symmetricKeyNotGenerated
}
