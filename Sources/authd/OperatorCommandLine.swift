import ArgumentParser
import AuthCore
import AuthRuntime
import Foundation

/// `authd users ...` and `authd audit tail`: thin wrappers over `OperatorCommands` (AuthRuntime), which the tests
/// call directly.
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find and fix accounts through the API's own services, audited as the command line.",
        subcommands: [
            List.self, Show.self, Disable.self, Enable.self, Unlock.self, RevokeSessions.self, SetRoles.self,
            ResetMFA.self,
        ]
    )
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the audit trail.",
        subcommands: [Tail.self]
    )
}

/// Runs `body` over the operator commands and prints what it returns; errors are one line and exit status 1.
func runOperator(_ body: @escaping (OperatorCommands) async throws -> String) async throws {
    let configuration = try loadConfiguration()
    try await withRuntime(configuration) { runtime in
        let output = try await body(OperatorCommands(services: runtime.services))
        if !output.isEmpty { print(output) }
    }
}

struct FormatOption: ParsableArguments {
    @Flag(help: "Print JSON (the API's shapes) instead of a table.") var json = false
    var format: OperatorCommands.Format { json ? .json : .table }
}

extension Users {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users, by email.")
        @Option(help: "Only users whose email or name contains this.") var query: String?
        @Option(help: "Only users holding this role.") var role: String?
        @Option(help: "At most this many users (1-1000).") var limit = 100
        @OptionGroup var output: FormatOption

        func run() async throws {
            try await runOperator { [query, role, limit, output] in
                try await $0.listUsers(search: query, role: role, limit: limit, format: output.format)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one user: roles, permissions, MFA, sessions, lockout."
        )
        @Argument(help: "The user's email or id.") var user: String
        @OptionGroup var output: FormatOption

        func run() async throws {
            try await runOperator { [user, output] in try await $0.showUser(user, format: output.format) }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an account: its sessions end and its tokens are refused at once."
        )
        @Argument(help: "The user's email.") var email: String

        func run() async throws { try await runOperator { [email] in try await $0.disable(email) } }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account.")
        @Argument(help: "The user's email.") var email: String

        func run() async throws { try await runOperator { [email] in try await $0.enable(email) } }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Clear the login lockout of an email (AUTH_LOGIN_MAX_FAILURES)."
        )
        @Argument(help: "The user's email.") var email: String

        func run() async throws { try await runOperator { [email] in try await $0.unlock(email) } }
    }

    struct RevokeSessions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-sessions",
            abstract: "End every session of a user (personal access tokens stay)."
        )
        @Argument(help: "The user's email.") var email: String

        func run() async throws { try await runOperator { [email] in try await $0.revokeSessions(email) } }
    }

    struct SetRoles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-roles",
            abstract: "Replace a user's roles (no role at all is allowed; the last super-admin stays)."
        )
        @Argument(help: "The user's email.") var email: String
        @Argument(help: "The roles the user is to hold.") var roles: [String] = []

        func run() async throws {
            try await runOperator { [email, roles] in try await $0.setRoles(email, roles: roles) }
        }
    }

    struct ResetMFA: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-mfa",
            abstract: "Remove a user's second factor (TOTP and recovery codes); the user is told by mail."
        )
        @Argument(help: "The user's email.") var email: String

        func run() async throws { try await runOperator { [email] in try await $0.resetMFA(email) } }
    }
}

extension Audit {
    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the newest audit events, oldest first; --follow keeps printing new ones."
        )
        @Option(name: .short, help: "How many of the newest events (1-1000).") var n = 20
        @Flag(help: "Keep polling (every second) for new events until interrupted.") var follow = false
        @Flag(help: "One JSON object a line (the items of GET /admin/audit-events).") var json = false

        func run() async throws {
            let format: OperatorCommands.Format = json ? .json : .table
            guard follow else {
                try await runOperator { [n] in try await $0.auditTail(count: n, format: format).output }
                return
            }
            try await runOperator { [n] commands in
                try await commands.followAudit(count: n, format: format) { text in
                    // Unbuffered: a pipe (`| jq`) sees each event as it comes.
                    FileHandle.standardOutput.write(Data((text + "\n").utf8))
                }
                return ""
            }
        }
    }
}

struct Config: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the configuration.",
        subcommands: [Check.self]
    )
}

extension Config {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Read the environment as serve does, list every problem, show the settings (secrets redacted) and "
                + "where each came from, and try the database and the mail transport. Exit status 1 on any problem."
        )

        func run() async throws {
            let check = await ConfigurationCheck.run()
            print(check.text)
            for problem in check.problems {
                FileHandle.standardError.write(Data("authd: \(problem)\n".utf8))
            }
            if !check.passed { throw ExitCode(1) }
        }
    }
}
