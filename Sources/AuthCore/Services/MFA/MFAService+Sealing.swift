import Foundation

/// TOTP secrets at rest: moved to the current `AUTH_ENCRYPTION_KEY` by `authd rotate-encryption-key`.
extension MFAService {
    /// Re-encrypts every stored TOTP secret that is plaintext or sealed under a previous key with the current
    /// `AUTH_ENCRYPTION_KEY` (by `authd rotate-encryption-key`). Returns how many it rewrote.
    public func resealSecrets() async throws -> Int {
        guard let secretBox else { return 0 }
        var rewritten = 0
        for enrolment in try await store.mfa.allTOTP() where secretBox.needsReseal(enrolment.secret) {
            let context = RecoveryCodes.sealingContext(enrolment.userID)
            let plain = try secretBox.open(enrolment.secret, context: context)
            try await store.mfa.replaceTOTPSecret(
                userID: enrolment.userID,
                with: try secretBox.seal(plain, context: context)
            )
            rewritten += 1
        }
        return rewritten
    }

    /// How many stored TOTP secrets are sealed under the current key, of how many.
    public func sealedSecretCount() async throws -> (sealed: Int, total: Int) {
        let all = try await store.mfa.allTOTP()
        let sealed = all.filter { enrolment in secretBox.map { !$0.needsReseal(enrolment.secret) } ?? false }
        return (sealed.count, all.count)
    }
}
