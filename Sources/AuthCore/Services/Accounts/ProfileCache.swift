import Foundation

/// What `GET /auth/me` shows of a user (the row and whether TOTP is on), so a busy client polling it is not two
/// database reads a call. Keyed by user, bounded and invalidated like `SessionStateCache`: a `.profile` or `.user`
/// invalidation of the user, or `.all`, moves a version the entry was read under, and the entry is then absent.
/// Everything that writes what the answer shows announces one (`docs/architecture.md`, "Caches").
public final class ProfileCache: Sendable {
    public struct Profile: Sendable, Equatable {
        public var user: User
        public var mfaEnabled: Bool
    }

    /// Taken before the database read.
    public struct ReadTicket: Sendable, Equatable {
        let user: UUID
        let stamp: VersionStampedCache<UUID, Profile>.Stamp
    }

    private let entries: VersionStampedCache<UUID, Profile>
    /// What one entry costs in memory, about (a user row: email, names, roles).
    public static let bytesPerEntry = 1_000

    public init(hub: InvalidationHub, capacity: Int = 20_000) {
        entries = VersionStampedCache(hub: hub, capacity: capacity) { Self.dependencies(of: $0.user.id) }
    }

    public var count: Int { entries.count }
    public var capacity: Int { entries.capacity }

    private static func dependencies(of user: UUID) -> (CacheInvalidation, CacheInvalidation) {
        (.user(user), .profile(user))
    }

    public func ticket(user: UUID) -> ReadTicket {
        ReadTicket(user: user, stamp: entries.stamp(Self.dependencies(of: user)))
    }

    public func lookup(_ user: UUID, now: Date) -> Profile? {
        entries.lookup(user, now: now)
    }

    /// Caches the profile read after `ticket` was taken, unless the user was invalidated since.
    public func put(_ profile: Profile, now: Date, ticket: ReadTicket) {
        guard profile.user.id == ticket.user else { return }
        var slim = profile
        slim.user.passwordHash = ""
        entries.put(ticket.user, slim, now: now, stamp: ticket.stamp) { self.ticket(user: ticket.user) == ticket }
    }
}
