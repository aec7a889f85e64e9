import FluentKit

/// Every migration, in the order it runs. Append; never reorder, rename or edit one that has shipped: a database
/// records the migrations it has run by name (the type's name, `AuthPersistence.CreateUsers` and so on).
public enum AuthMigrations {
    public static let all: [any Migration] = [
        CreateUsers(), CreateRoles(), CreateUserRoles(), CreateSessions(), CreateRefreshTokens(),
        CreateSigningKeys(), CreateAuditEvents(), CreateServiceClients(), CreateLoginThrottle(),
        CreateUserSearchIndexes(), CreateUserListIndexes(), CreatePersonalAccessTokens(),
        CreateMFA(), AddRoleRequiresMFA(), CreateMail(), CreateCacheInvalidations(),
    ]
}
