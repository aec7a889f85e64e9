import Hummingbird
import Logging

/// One `request` line per answer at info level, with method, route, status and duration. Our own rather than
/// Hummingbird's `LogRequestsMiddleware`: that one logs before the answer, without its status or duration.
enum AccessLog {
    static func record(_ request: Request, status: HTTPResponse.Status, elapsed: Duration, context: AppRequestContext) {
        guard context.logger.logLevel <= .info else { return }
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue), "route": .string(context.endpointPath ?? "unmatched"),
                "status": .stringConvertible(status.code),
                "duration_ms": .stringConvertible((elapsed.milliseconds * 100).rounded() / 100),
            ]
        )
    }
}

extension Duration {
    var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }

    var wholeNanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
