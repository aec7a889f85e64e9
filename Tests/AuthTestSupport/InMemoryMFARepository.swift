import AuthCore
import Foundation

struct InMemoryMFARepository: MFARepository {
    let context: InMemoryContext

    func totp(userID: UUID) async throws -> TOTPEnrolment? {
        try context.read { $0.totp[userID] }
    }

    func allTOTP() async throws -> [TOTPEnrolment] {
        try context.read { s in s.totp.values.sorted { $0.createdAt < $1.createdAt } }
    }

    func replaceTOTPSecret(userID: UUID, with secret: String) async throws {
        try await context.write { s in s.totp[userID]?.secret = secret }
    }

    func saveTOTP(_ enrolment: TOTPEnrolment) async throws {
        try await context.write { s in
            guard s.users[enrolment.userID] != nil else {
                throw InMemoryStoreError.missingReference("user_totp.user_id")
            }
            s.totp[enrolment.userID] = enrolment
        }
    }

    func confirmTOTP(userID: UUID, at: Date, step: Int64) async throws -> Bool {
        try await context.write { s in
            guard let enrolment = s.totp[userID], enrolment.confirmedAt == nil else { return false }
            s.totp[userID]?.confirmedAt = at
            s.totp[userID]?.lastUsedStep = step
            return true
        }
    }

    func useTOTPStep(userID: UUID, step: Int64) async throws -> Bool {
        try await context.write { s in
            guard let enrolment = s.totp[userID], enrolment.confirmedAt != nil,
                enrolment.lastUsedStep.map({ $0 < step }) ?? true
            else { return false }
            s.totp[userID]?.lastUsedStep = step
            return true
        }
    }

    func deleteTOTP(userID: UUID) async throws -> Bool {
        try await context.write { s in
            s.recoveryCodes[userID] = nil
            return s.totp.removeValue(forKey: userID) != nil
        }
    }

    func replaceRecoveryCodes(userID: UUID, hashes: [String], at: Date) async throws {
        try await context.write { s in
            s.recoveryCodes[userID] = Dictionary(uniqueKeysWithValues: hashes.map { ($0, Date?.none) })
        }
    }

    func useRecoveryCode(userID: UUID, hash: String, at: Date) async throws -> Bool {
        try await context.write { s in
            guard let codes = s.recoveryCodes[userID], let used = codes[hash], used == nil else { return false }
            s.recoveryCodes[userID]?[hash] = .some(at)
            return true
        }
    }

    func unusedRecoveryCodes(userID: UUID) async throws -> Int {
        try context.read { s in (s.recoveryCodes[userID] ?? [:]).values.filter { $0 == nil }.count }
    }

    func createChallenge(_ challenge: MFAChallenge, hash: String) async throws {
        try await context.write { s in
            guard s.users[challenge.userID] != nil else {
                throw InMemoryStoreError.missingReference("mfa_challenges.user_id")
            }
            s.challenges[challenge.id] = challenge
            s.challengeIDsByHash[hash] = challenge.id
        }
    }

    func countChallengeTry(hash: String, now: Date) async throws -> MFAChallenge? {
        try await context.write { s in
            guard let id = s.challengeIDsByHash[hash], let challenge = s.challenges[id], challenge.usedAt == nil,
                challenge.expiresAt > now, challenge.attempts < MFAChallenge.maxAttempts
            else { return nil }
            s.challenges[id]?.attempts += 1
            return s.challenges[id]
        }
    }

    func consumeChallenge(id: UUID, at: Date) async throws -> Bool {
        try await context.write { s in
            guard s.challenges[id] != nil, s.challenges[id]?.usedAt == nil else { return false }
            s.challenges[id]?.usedAt = at
            return true
        }
    }

    func deleteEndedChallenges(before: Date) async throws -> Int {
        try await context.write { s in
            let ended = s.challenges.values.filter { $0.expiresAt < before }.map(\.id)
            for id in ended { s.challenges[id] = nil }
            s.challengeIDsByHash = s.challengeIDsByHash.filter { ended.contains($0.value) == false }
            return ended.count
        }
    }
}
