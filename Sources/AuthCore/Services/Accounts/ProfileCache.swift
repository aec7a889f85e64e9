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

    struct Entry: Sendable {
        var profile: Profile
        var expires: Date
        var ticket: ReadTicket
    }

    /// Taken before the database read.
    public struct ReadTicket: Sendable, Equatable {
        let user: UUID
        let userVersion: UInt64
        let profileVersion: UInt64
        let epoch: UInt64
    }

    private let entries: ClockCache<UUID, Entry>
    let hub: InvalidationHub
    /// What one entry costs in memory, about (a user row: email, names, roles).
    public static let bytesPerEntry = 1_000

    public init(hub: InvalidationHub, capacity: Int = 20_000) {
        self.hub = hub
        self.entries = ClockCache(capacity: capacity)
        hub.subscribe { [weak self] message in if message == .all { self?.entries.removeAll() } }
    }

    public var count: Int { entries.count }
    public var capacity: Int { entries.capacity }

    public func ticket(user: UUID) -> ReadTicket {
        ReadTicket(
            user: user,
            userVersion: hub.version(of: .user(user)),
            profileVersion: hub.version(of: .profile(user)),
            epoch: hub.epoch
        )
    }

    public func lookup(_ user: UUID, now: Date) -> Profile? {
        entries.withEntry(user) { entry in
            guard let current = entry else { return nil }
            guard current.expires > now, current.ticket == ticket(user: user) else {
                entry = nil
                return nil
            }
            return current.profile
        }
    }

    /// Caches the profile read after `ticket` was taken, unless the user was invalidated since.
    public func put(_ profile: Profile, now: Date, ticket: ReadTicket) {
        let ttl = hub.currentTTL
        guard ttl > 0, profile.user.id == ticket.user else { return }
        var slim = profile
        slim.user.passwordHash = ""
        entries.withEntry(ticket.user) { entry in
            guard self.ticket(user: ticket.user) == ticket else { return }
            entry = Entry(
                profile: slim,
                expires: now.addingTimeInterval(ttl * Double.random(in: 0.9...1.0)),
                ticket: ticket
            )
        }
    }
}
