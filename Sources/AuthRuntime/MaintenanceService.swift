import AuthCore
import Foundation
import Logging
import ServiceLifecycle

/// Background upkeep: prunes audit events past retention, sessions long expired and personal access tokens long ended,
/// hourly.
struct MaintenanceService: Service, CustomStringConvertible {
    var description: String { "MaintenanceService" }
    let services: AuthServices
    let logger: Logger

    func run() async throws {
        // Ends quietly on graceful shutdown: being cancelled mid-sleep is the normal way out.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.runOnce()
                try await Task.sleep(for: .seconds(3600))
            }
        }
    }

    func runOnce() async {
        let now = services.clock.now()
        do {
            let retention = TimeInterval(services.configuration.auditRetentionDays) * 86_400
            let pruned = try await services.store.audit.prune(before: now.addingTimeInterval(-retention))
            let expired = try await services.store.sessions.deleteExpired(before: now.addingTimeInterval(-86_400))
            // Ended tokens are kept 30 days, so a revoked one presented again is still recognised and audited.
            let tokens = try await services.store.personalTokens.deleteEnded(
                before: now.addingTimeInterval(-30 * 86_400)
            )
            _ = try await services.store.mfa.deleteEndedChallenges(before: now.addingTimeInterval(-86_400))
            // Requests are kept a day after they end (the per-address limit counts the last hour); sent and failed
            // mails 30 days, for admins to look at.
            _ = try await services.store.emailTokens.deleteEnded(before: now.addingTimeInterval(-86_400))
            _ = try await services.store.outbox.prune(before: now.addingTimeInterval(-30 * 86_400))
            if pruned > 0 || expired > 0 || tokens > 0 {
                logger.info(
                    "maintenance",
                    metadata: [
                        "audit_events_pruned": .stringConvertible(pruned),
                        "sessions_deleted": .stringConvertible(expired),
                        "personal_tokens_deleted": .stringConvertible(tokens),
                    ]
                )
            }
        } catch {
            logger.warning("maintenance failed", metadata: ["error_type": .string(String(reflecting: type(of: error)))])
        }
    }
}
