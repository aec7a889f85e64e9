#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as its bytes. An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a dual-stack socket
/// reports for an IPv4 client) is the IPv4 address, so one rule covers both spellings.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    public init?(_ text: String) {
        // A zone (`fe80::1%eth0`) names the interface, not the address.
        let address = text.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
        guard let address, !address.isEmpty, address.utf8.count <= 45 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return nil }
        let raw = withUnsafeBytes(of: &v6) { Array($0) }
        if raw[0..<10].allSatisfy({ $0 == 0 }) && raw[10] == 0xff && raw[11] == 0xff {
            bytes = Array(raw[12..<16])
        } else {
            bytes = raw
        }
    }

    public var isIPv4: Bool { bytes.count == 4 }

    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        var v6 = in6_addr()
        withUnsafeMutableBytes(of: &v6) { $0.copyBytes(from: bytes) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count)) != nil else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The address with every bit after the first `prefix` cleared.
    func masked(to prefix: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let kept = min(max(prefix - index * 8, 0), 8)
            return kept == 8 ? byte : byte & ~(UInt8(0xff) >> kept)
        }
    }

    /// The key a per-client limit counts under: the address itself for IPv4, its /64 for IPv6, since one
    /// subscriber is routinely given a whole /64 and could otherwise take a fresh bucket per request.
    public var limitKey: String {
        guard !isIPv4 else { return description }
        return IPAddress(unchecked: masked(to: 64)).description + "/64"
    }

    private init(unchecked bytes: [UInt8]) { self.bytes = bytes }
}

/// An address range in CIDR notation (`10.0.0.0/8`, `fd00::/8`), or one address (a /32 or /128).
public struct IPNetwork: Hashable, Sendable {
    public let address: IPAddress
    public let prefix: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = address.bytes.count * 8
        if parts.count == 2 {
            // `::ffff:10.0.0.0/104` is the IPv4 range 10.0.0.0/8.
            guard let bits = Int(parts[1]), parts[1].allSatisfy(\.isASCII) else { return nil }
            let mappedBits = parts[0].contains(":") && address.isIPv4 ? bits - 96 : bits
            guard (0...maximum).contains(mappedBits) else { return nil }
            self.prefix = mappedBits
        } else {
            self.prefix = maximum
        }
        self.address = address
    }

    public func contains(_ other: IPAddress) -> Bool {
        other.bytes.count == address.bytes.count && other.masked(to: prefix) == address.masked(to: prefix)
    }
}
