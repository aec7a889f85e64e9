import AuthCore
import Foundation

struct InMemoryUserRepository: UserRepository {
    let context: InMemoryContext

    func create(_ user: User) async throws {
        try await context.write { s in
            // The SQL store reports any constraint the insert breaks as a taken email.
            guard s.users[user.id] == nil, s.userIDsByEmail[InMemoryState.emailKey(user.email)] == nil else {
                throw AuthError.emailTaken
            }
            var stored = user
            stored.roles = []
            s.users[user.id] = stored
            s.userIDsByEmail[InMemoryState.emailKey(user.email)] = user.id
            // Names of roles that do not exist are dropped, as the SQL store's INSERT ... SELECT does.
            s.userRoles[user.id] = Set(user.roles.filter { s.roles[$0] != nil })
        }
    }

    func find(id: UUID) async throws -> User? {
        try context.read { $0.user(id: id) }
    }

    func find(email: String) async throws -> User? {
        try context.read { s in s.userIDsByEmail[InMemoryState.emailKey(email)].flatMap { s.user(id: $0) } }
    }

    func update(_ id: UUID, _ changes: UserChanges) async throws {
        try await context.write { s in
            guard var stored = s.users[id] else { return }
            if let email = changes.email {
                let key = InMemoryState.emailKey(email)
                if let holder = s.userIDsByEmail[key], holder != id { throw AuthError.emailTaken }
                s.userIDsByEmail[InMemoryState.emailKey(stored.email)] = nil
                s.userIDsByEmail[key] = id
                stored.email = email
            }
            // Only the named columns, as the SQL UPDATE does.
            let profile = changes.profile
            if case .some(let value) = profile.displayName { stored.profile.displayName = value }
            if case .some(let value) = profile.givenName { stored.profile.givenName = value }
            if case .some(let value) = profile.familyName { stored.profile.familyName = value }
            if case .some(let value) = profile.locale { stored.profile.locale = value }
            if case .some(let value) = profile.timezone { stored.profile.timezone = value }
            if case .some(let value) = profile.avatarURL { stored.profile.avatarURL = value }
            if let isActive = changes.isActive { stored.isActive = isActive }
            if let isVerified = changes.isVerified { stored.isVerified = isVerified }
            stored.updatedAt = changes.updatedAt
            s.users[id] = stored
        }
    }

    func updatePasswordHash(userID: UUID, hash: String, at: Date) async throws {
        try await context.write { s in
            s.users[userID]?.passwordHash = hash
            s.users[userID]?.updatedAt = at
        }
    }

    func replacePasswordHash(userID: UUID, expected: String, with hash: String) async throws -> Bool {
        try await context.write { s in
            guard s.users[userID]?.passwordHash == expected else { return false }
            s.users[userID]?.passwordHash = hash
            return true
        }
    }

    func setRoles(userID: UUID, roles: [String]) async throws {
        try await context.write { s in
            let names = Set(roles.filter { s.roles[$0] != nil })
            guard s.users[userID] != nil else {
                if names.isEmpty { return }
                throw InMemoryStoreError.missingReference("user_roles.user_id")
            }
            s.userRoles[userID] = names
        }
    }

    func delete(id: UUID) async throws -> Bool {
        try await context.write { s in
            guard s.users[id] != nil else { return false }
            s.deleteUser(id: id)
            return true
        }
    }

    func recordLogin(userID: UUID, at: Date) async throws {
        try await context.write { s in s.users[userID]?.lastLoginAt = at }
    }

    func list(_ query: UserQuery) async throws -> Page<User> {
        try context.read { s in
            var users = Array(s.users.values)
            if let search = query.search?.lowercased(), !search.isEmpty {
                // The SQL store's search expression: email and names, lower-cased, joined by spaces.
                users = users.filter { u in
                    [u.email, u.profile.displayName ?? "", u.profile.givenName ?? "", u.profile.familyName ?? ""]
                        .map { $0.lowercased() }.joined(separator: " ").contains(search)
                }
            }
            if let role = query.role { users = users.filter { s.userRoles[$0.id]?.contains(role) == true } }
            if let active = query.isActive { users = users.filter { $0.isActive == active } }
            if let verified = query.isVerified { users = users.filter { $0.isVerified == verified } }
            if let after = query.createdAfter { users = users.filter { $0.createdAt > after } }
            if let before = query.createdBefore { users = users.filter { $0.createdAt < before } }
            users.sort(by: Self.order(query.sort))
            let items = pageItems(users, page: query.page, perPage: query.perPage).map { s.user(id: $0.id)! }
            return Page(
                items: items,
                page: query.page,
                perPage: query.perPage,
                total: users.count,
                totalIsEstimate: false
            )
        }
    }

    /// The SQL store's ORDER BY: ties broken by id, users who never logged in last either way.
    static func order(_ sort: UserQuery.Sort) -> (User, User) -> Bool {
        switch sort {
        case .createdAt:
            return { $0.createdAt != $1.createdAt ? $0.createdAt < $1.createdAt : uuidPrecedes($0.id, $1.id) }
        case .createdAtDesc:
            return { $0.createdAt != $1.createdAt ? $0.createdAt > $1.createdAt : uuidPrecedes($1.id, $0.id) }
        case .email: return { $0.email < $1.email }
        case .emailDesc: return { $0.email > $1.email }
        case .lastLoginAt, .lastLoginAtDesc:
            let ascending = sort == .lastLoginAt
            return { a, b in
                switch (a.lastLoginAt, b.lastLoginAt) {
                case (nil, nil): return ascending ? uuidPrecedes(a.id, b.id) : uuidPrecedes(b.id, a.id)
                case (nil, _): return false
                case (_, nil): return true
                case (let x?, let y?):
                    if x != y { return ascending ? x < y : x > y }
                    return ascending ? uuidPrecedes(a.id, b.id) : uuidPrecedes(b.id, a.id)
                }
            }
        }
    }

    /// Transactions already take turns here (one write lock).
    func lockSuperAdminChanges() async throws {}

    func superAdminIDs() async throws -> [UUID] {
        try context.read { s in
            let wildcard = Set(s.roles.values.filter { $0.permissions.contains("*") }.map(\.name))
            return s.users.values.filter { $0.isActive && !(s.userRoles[$0.id] ?? []).isDisjoint(with: wildcard) }
                .map(\.id).sorted(by: uuidPrecedes)
        }
    }

    func permissions(userID: UUID) async throws -> [String] {
        try context.read { $0.permissions(of: userID) }
    }

    func permissions(userID: UUID, assurance aal: Int) async throws -> [String] {
        try context.read { aal >= 2 ? $0.permissions(of: userID) : $0.permissions(of: userID, stepUp: false) }
    }
}
