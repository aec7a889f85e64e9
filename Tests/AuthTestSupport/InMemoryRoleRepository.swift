import AuthCore
import Foundation

struct InMemoryRoleRepository: RoleRepository {
    let context: InMemoryContext

    func all() async throws -> [Role] {
        try context.read { s in s.roles.keys.sorted().compactMap { s.role(named: $0) } }
    }

    func find(name: String) async throws -> Role? {
        try context.read { $0.role(named: name) }
    }

    func create(_ role: Role) async throws {
        try await context.write { s in
            guard s.roles[role.name] == nil else { throw AuthError.roleExists }
            s.roles[role.name] = role
        }
    }

    /// Description and permissions; whether the role is a system one stays.
    func update(_ role: Role) async throws {
        try await context.write { s in
            s.roles[role.name]?.description = role.description
            s.roles[role.name]?.permissions = role.permissions
            s.roles[role.name]?.requiresMFA = role.requiresMFA
        }
    }

    func delete(name: String) async throws -> Bool {
        try await context.write { s in
            guard s.roles.removeValue(forKey: name) != nil else { return false }
            for (userID, names) in s.userRoles where names.contains(name) { s.userRoles[userID]?.remove(name) }
            return true
        }
    }

    func seed(_ roles: [Role]) async throws {
        try await context.write { s in
            for role in roles where s.roles[role.name] == nil { s.roles[role.name] = role }
        }
    }

    func members(of name: String) async throws -> [UUID] {
        try context.read { s in s.userRoles.filter { $0.value.contains(name) }.map(\.key).sorted(by: uuidPrecedes) }
    }
}
