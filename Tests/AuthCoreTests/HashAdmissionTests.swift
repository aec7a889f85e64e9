import Foundation
import Testing

@testable import AuthCore

@Suite struct HashAdmissionTests {
    @Test func placesPastTheWaitAreRefusedAtOnceWithARetryTime() throws {
        // Two threads, 0.4 s a hash, at most 1 s of waiting: four places fit (two rounds of 0.4 s), the fifth would
        // wait 1.2 s.
        let admission = HashAdmission(threads: 2, maxWait: 1, secondsPerHash: 0.4)
        for _ in 0..<4 { try admission.enter() }
        #expect(admission.inFlight == 4)
        let refusal = #expect(throws: AuthError.self) { try admission.enter() }
        #expect(refusal?.code == "overloaded" && refusal?.kind == .unavailable)
        #expect((refusal?.retryAfter ?? 0) >= 1)
        #expect(admission.inFlight == 4)  // the refused request holds nothing
        admission.leave()
        try admission.enter()
        #expect(admission.inFlight == 4)
    }

    @Test func theThreadsAreAlwaysAdmittedAndZeroTurnsItOff() throws {
        let slow = HashAdmission(threads: 3, maxWait: 0.001, secondsPerHash: 10)
        for _ in 0..<3 { try slow.enter() }
        #expect(throws: AuthError.self) { try slow.enter() }
        let off = HashAdmission(threads: 1, maxWait: 0, secondsPerHash: 10)
        for _ in 0..<100 { try off.enter() }
        #expect(off.inFlight == 100)
    }

    @Test func theTimePerHashFollowsWhatHashesTake() {
        let admission = HashAdmission(threads: 1, maxWait: 2, secondsPerHash: 0.1)
        for _ in 0..<64 { admission.record(nanoseconds: 500_000_000) }
        #expect(abs(admission.secondsPerHash - 0.5) < 0.01)
    }

    @Test func aPlaceIsGivenBackWhenTheWorkThrows() async {
        let admission = HashAdmission(threads: 1, maxWait: 1, secondsPerHash: 0.1)
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await admission.admitted { throw Boom() } }
        #expect(admission.inFlight == 0)
    }
}
