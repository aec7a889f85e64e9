import AuthCore
import AuthTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AuthHTTP

/// Who the client is, behind IPv4 and IPv6 proxies, and what a per-client limit counts.
@Suite struct ClientAddressTests {
    private func forwarded(_ chain: String) -> HTTPFields {
        [HTTPField.Name("X-Forwarded-For")!: chain]
    }

    @Test func forwardedForIsBelievedOnlyFromTrustedProxies() {
        let proxies = TrustedProxies(entries: ["10.0.0.1", "192.168.0.0/16"])
        // An untrusted peer's header is ignored.
        #expect(proxies.clientIP(peer: "203.0.113.9", forwardedFor: ["198.51.100.1"]) == "203.0.113.9")
        // From a trusted proxy: the right-most address that is not a proxy.
        #expect(
            proxies.clientIP(peer: "10.0.0.1", forwardedFor: ["198.51.100.1, 203.0.113.7, 192.168.4.2"])
                == "203.0.113.7"
        )
        // A spoofed left-most entry does not win.
        #expect(proxies.clientIP(peer: "192.168.1.1", forwardedFor: ["1.2.3.4", "198.51.100.1"]) == "198.51.100.1")
        // Garbage in the header falls back to the peer.
        #expect(proxies.clientIP(peer: "10.0.0.1", forwardedFor: ["not-an-ip"]) == "10.0.0.1")
        // Without configured proxies nothing is believed.
        #expect(TrustedProxies(entries: []).clientIP(peer: "10.0.0.1", forwardedFor: ["198.51.100.1"]) == "10.0.0.1")
        // IPv6 proxies and ranges, and an IPv4 peer reported by a dual-stack socket.
        let v6 = TrustedProxies(entries: ["fd00::/8", "::1"])
        #expect(v6.clientIP(peer: "fd00::7", forwardedFor: ["2001:db8::1, fd12::1"]) == "2001:db8::1")
        #expect(v6.clientIP(peer: "::1", forwardedFor: ["2001:db8::2"]) == "2001:db8::2")
        #expect(v6.clientIP(peer: "2001:db8::9", forwardedFor: ["2001:db8::1"]) == "2001:db8::9")
        #expect(proxies.clientIP(peer: "::ffff:10.0.0.1", forwardedFor: ["198.51.100.1"]) == "198.51.100.1")
    }

    /// A trusted IPv6 proxy range is honoured like an IPv4 one: the client is the right-most untrusted hop.
    @Test func anIPv6TrustedProxyRangeForwardsTheClientAddress() async throws {
        try await withApp(
            .sqlite,
            clock: ManualClock(),
            over: .live,
            configure: {
                $0.trustedProxies = ["127.0.0.1", "2001:db8:ffff::/48"]
                $0.rateLimitEnabled = true
                $0.loginMaxFailures = 100
                $0.rateLimits.login = 1
            }
        ) { api, _ in
            // The same client through two proxies of the trusted range: one bucket.
            let first = try await api.login(
                "x@example.com",
                "wrong password",
                headers: forwarded("2001:db8:1:2::1, 2001:db8:ffff::5")
            )
            #expect(first.status == .unauthorized)
            let second = try await api.login(
                "x@example.com",
                "wrong password",
                headers: forwarded("2001:db8:1:2::1, 2001:db8:ffff:1::9")
            )
            #expect(second.status == .tooManyRequests)
            // An untrusted proxy's claim is not believed past it: the client is that proxy.
            let other = try await api.login(
                "x@example.com",
                "wrong password",
                headers: forwarded("2001:db8:1:2::1, 2001:db8:eeee::5")
            )
            #expect(other.status == .unauthorized)
        }
    }

    /// One subscriber usually holds a whole /64: every address in it shares one bucket, other /64s do not.
    @Test func ipv6ClientsAreLimitedPerSlash64() async throws {
        try await withApp(
            .sqlite,
            clock: ManualClock(),
            over: .live,
            configure: {
                $0.trustedProxies = ["127.0.0.1"]
                $0.rateLimitEnabled = true
                $0.loginMaxFailures = 100
                $0.rateLimits.login = 2
            }
        ) { api, _ in
            for host in ["2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe"] {
                #expect(
                    try await api.login("y@example.com", "wrong password", headers: forwarded(host)).status
                        == .unauthorized
                )
            }
            let rotated = try await api.login(
                "y@example.com",
                "wrong password",
                headers: forwarded("2001:db8:1:2:abcd::42")
            )
            #expect(rotated.status == .tooManyRequests)
            let neighbour = try await api.login(
                "y@example.com",
                "wrong password",
                headers: forwarded("2001:db8:1:3::1")
            )
            #expect(neighbour.status == .unauthorized)
            // IPv4 clients keep a bucket per address.
            #expect(
                try await api.login("y@example.com", "wrong password", headers: forwarded("192.0.2.7")).status
                    == .unauthorized
            )
            #expect(
                try await api.login("y@example.com", "wrong password", headers: forwarded("192.0.2.8")).status
                    == .unauthorized
            )
        }
    }
}

@Suite struct IPNetworkTests {
    @Test func parsesAndMatchesIPv4AndIPv6Ranges() throws {
        let v4 = try #require(IPNetwork("10.1.0.0/16"))
        #expect(v4.contains(try #require(IPAddress("10.1.255.3"))))
        #expect(!v4.contains(try #require(IPAddress("10.2.0.1"))))
        // An IPv4-mapped IPv6 address is the IPv4 address.
        #expect(v4.contains(try #require(IPAddress("::ffff:10.1.2.3"))))
        let v6 = try #require(IPNetwork("2001:db8::/32"))
        #expect(v6.contains(try #require(IPAddress("2001:db8:abcd::1"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db9::1"))))
        #expect(!v6.contains(try #require(IPAddress("10.1.2.3"))))
        #expect(try #require(IPNetwork("::1")).contains(try #require(IPAddress("0:0:0:0:0:0:0:1"))))
        #expect(try #require(IPNetwork("fe80::/10")).contains(try #require(IPAddress("fe80::1%eth0"))))
    }

    @Test(arguments: [
        "", "10.0.0.0/33", "2001:db8::/129", "10.0.0/8", "example.com", "10.0.0.0/-1", "::1/ 8", "1.2.3.4/8/8",
    ])
    func refusesWhatIsNotARange(_ text: String) {
        #expect(IPNetwork(text) == nil)
    }

    @Test func limitKeysAreTheAddressForIPv4AndTheSlash64ForIPv6() throws {
        #expect(try #require(IPAddress("192.0.2.7")).limitKey == "192.0.2.7")
        #expect(try #require(IPAddress("::ffff:192.0.2.7")).limitKey == "192.0.2.7")
        #expect(try #require(IPAddress("2001:db8:1:2:3:4:5:6")).limitKey == "2001:db8:1:2::/64")
        let one = try #require(IPAddress("2001:db8:1:2::9"))
        let other = try #require(IPAddress("2001:db8:1:2:ffff::1"))
        #expect(one.limitKey == other.limitKey)
    }

    @Test func aTrustedProxyEntryThatIsNoRangeStopsTheStart() {
        #expect(throws: ConfigurationError.self) {
            try AuthConfiguration.fromEnvironment(["AUTH_TRUSTED_PROXIES": "10.0.0.1, 10.0.0.0/40"])
        }
        #expect(throws: Never.self) {
            try AuthConfiguration.fromEnvironment(["AUTH_TRUSTED_PROXIES": "10.0.0.1, fd00::/8, ::1"])
        }
    }
}
