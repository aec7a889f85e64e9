import AuthCore
import Foundation

/// Which peers may tell us the client's address through X-Forwarded-For: addresses and CIDR ranges, IPv4 and IPv6.
struct TrustedProxies: Sendable {
    let networks: [IPNetwork]

    /// Entries that do not parse are dropped here; `AuthConfiguration.fromEnvironment` refuses them at start.
    init(entries: [String]) {
        networks = entries.compactMap(IPNetwork.init)
    }

    func isTrusted(_ address: String) -> Bool {
        guard let address = IPAddress(address) else { return false }
        return networks.contains { $0.contains(address) }
    }

    /// The peer, unless it is a trusted proxy: then the right-most X-Forwarded-For address that is not one.
    func clientIP(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, !networks.isEmpty, isTrusted(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        for hop in hops.reversed() where !isTrusted(hop) {
            return Self.isIPAddress(hop) ? hop : peer
        }
        return hops.first.flatMap { Self.isIPAddress($0) ? $0 : nil } ?? peer
    }

    static func isIPAddress(_ s: String) -> Bool {
        IPAddress(s) != nil
    }
}
