import Foundation

/// `/admin/service-clients` (and `authd create-service-client`): the clients that may call `/auth/verify`.
public final class ServiceClientAdminService: Sendable {
    private let store: any AuthStore
    private let authenticator: ServiceClientAuthenticator
    private let audit: AuditLog
    private let clock: any AuthClock

    public init(store: any AuthStore, authenticator: ServiceClientAuthenticator, audit: AuditLog, clock: any AuthClock)
    {
        self.store = store
        self.authenticator = authenticator
        self.audit = audit
        self.clock = clock
    }

    public func clients() async throws -> [ServiceClient] { try await store.serviceClients.list() }

    /// Returns the client and its secret; the secret is not stored and cannot be shown again.
    public func create(
        name: String,
        actor: Principal?,
        meta: RequestMeta
    ) async throws -> (ServiceClient, secret: String) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.unicodeScalars.count <= FieldLimits.serviceClientName,
            !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw AuthError.validation(
                field: "name",
                code: "invalid_format",
                message: "1 to \(FieldLimits.serviceClientName) printable characters."
            )
        }
        let secret = SecureToken.generate(byteCount: 32)
        let client = ServiceClient(
            name: trimmed,
            clientID: "svc_" + SecureToken.generate(byteCount: 12),
            secretHash: SecureToken.hash(secret),
            createdAt: clock.now()
        )
        try await store.transaction { tx in
            try await tx.serviceClients.create(client)
            try await tx.announce(.serviceClient(client.clientID))
            let event = self.audit.event(
                "service_client.created",
                .success,
                actor: actor?.userID,
                meta: meta,
                details: ["client_id": client.clientID, "name": trimmed]
            )
            try await self.audit.record(event, in: tx)
        }
        // Forget that this id was unknown, here and on the other instances.
        authenticator.invalidate(clientID: client.clientID)
        return (client, secret)
    }

    /// Deletes the client; it is refused at once, here and on the other instances.
    public func delete(id: UUID, actor: Principal, meta: RequestMeta) async throws {
        let deleted: ServiceClient? = try await store.transaction { tx in
            guard let client = try await tx.serviceClients.delete(id: id) else { return nil }
            try await tx.announce(.serviceClient(client.clientID))
            let event = self.audit.event(
                "service_client.deleted",
                .success,
                actor: actor.userID,
                meta: meta,
                details: ["client_id": client.clientID, "name": client.name]
            )
            try await self.audit.record(event, in: tx)
            return client
        }
        guard let deleted else { throw AuthError.clientNotFound }
        authenticator.invalidate(clientID: deleted.clientID)
    }
}
