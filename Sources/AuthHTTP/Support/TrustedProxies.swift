import Foundation
import NIOCore

/// Which peers may tell us the client's address through X-Forwarded-For.
struct TrustedProxies: Sendable {
    let entries: [String]

    func isTrusted(_ address: String) -> Bool {
        entries.contains { entry in
            if entry.contains("/") { return Self.ipv4(address, inCIDR: entry) }
            return entry == address
        }
    }

    /// The peer, unless it is a trusted proxy: then the right-most X-Forwarded-For address that is not one.
    func clientIP(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, !entries.isEmpty, isTrusted(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        for hop in hops.reversed() where !isTrusted(hop) {
            return Self.isIPAddress(hop) ? hop : peer
        }
        return hops.first.flatMap { Self.isIPAddress($0) ? $0 : nil } ?? peer
    }

    static func isIPAddress(_ s: String) -> Bool {
        (try? SocketAddress(ipAddress: s, port: 0)) != nil
    }

    static func ipv4(_ address: String, inCIDR cidr: String) -> Bool {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let bits = Int(parts[1]), (0...32).contains(bits),
            let network = ipv4Value(String(parts[0])), let value = ipv4Value(address)
        else { return false }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
        return network & mask == value & mask
    }

    static func ipv4Value(_ s: String) -> UInt32? {
        let octets = s.split(separator: ".").compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 < 256 }) else { return nil }
        return octets.reduce(0) { $0 << 8 | $1 }
    }
}
