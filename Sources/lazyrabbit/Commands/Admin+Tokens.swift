import AccessControl
import ArgumentParser
import Foundation
import PostgresDriver
import WorkflowDrivers

extension LazyRabbit.Admin {
    /// `lazyrabbit admin tokens …`: API tokens in PostgreSQL.
    struct Tokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create, list and revoke API tokens (kept in PostgreSQL as SHA-256 hashes only).",
            subcommands: [Create.self, List.self, Revoke.self])
    }
}

extension LazyRabbit.Admin.Tokens {
    /// `lazyrabbit admin tokens create`: prints a new token's plaintext, once.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API token and print it (it is shown this once and cannot be recovered).")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The user the token acts for (created if new).") var owner: String
        @Option(help: "The token's role: admin, operator or viewer.") var role: String
        @Option(help: "A label that says what the token is for.") var name: String

        func validate() throws {
            guard Role(rawValue: role) != nil else { throw ValidationError("--role must be admin, operator or viewer, not \(role)") }
            guard !owner.isEmpty, !name.isEmpty else { throw ValidationError("--owner and --name must not be empty") }
        }

        func run() async throws {
            let issued = try await database.withMigratedPool { pool in
                try await APIToken.issue(owner: owner, name: name, role: Role(rawValue: role)!, in: PostgresAPITokenStore(pool: pool))
            }
            print(issued.plaintext)
            ProgressPrinter.standardError().line(
                "✓ token \(issued.record.id) for \(owner) (\(role)); store it now, it is not shown again", style: .success)
        }
    }

    /// `lazyrabbit admin tokens list`: never prints more than a prefix of a hash.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List API tokens (revoked ones too), oldest first.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only this user's tokens.") var owner: String?
        @Flag(help: "One JSON array instead of a table.") var json = false

        /// How much of a hash is shown: enough to tell tokens apart, far too little to matter.
        static let hashPrefixLength = 8

        func run() async throws {
            let records = try await database.withMigratedPool { pool in try await PostgresAPITokenStore(pool: pool).list(owner: owner) }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(records.map(Listed.init)), as: UTF8.self))
                return
            }
            print(["ID", "OWNER", "NAME", "ROLE", "HASH", "CREATED", "LAST USED", "STATUS"].joined(separator: "\t"))
            for record in records.map(Listed.init) {
                let fields = [
                    record.id, record.owner, record.name, record.role, record.hashPrefix, record.createdAt.formatted(.iso8601),
                    record.lastUsedAt?.formatted(.iso8601) ?? "-", record.revokedAt == nil ? "active" : "revoked",
                ]
                print(fields.joined(separator: "\t"))
            }
        }

        /// A record as listed: the hash cut to a prefix.
        struct Listed: Encodable {
            var id, owner, name, role, hashPrefix: String
            var createdAt: Date
            var lastUsedAt, revokedAt: Date?

            init(_ record: APITokenRecord) {
                (id, owner, name, role) = (record.id, record.owner, record.name, record.role)
                hashPrefix = String(record.hash.prefix(List.hashPrefixLength))
                (createdAt, lastUsedAt, revokedAt) = (record.createdAt, record.lastUsedAt, record.revokedAt)
            }
        }
    }

    /// `lazyrabbit admin tokens revoke ID`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API token: it never authenticates again.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The token's id (see `lazyrabbit admin tokens list`).") var id: String

        func run() async throws {
            let revoked = try await database.withMigratedPool { pool in try await PostgresAPITokenStore(pool: pool).revoke(id: id) }
            let printer = ProgressPrinter.standardError()
            guard revoked else {
                printer.problem("no active token \(id)")
                throw ExitCodes.failed
            }
            printer.line("✓ revoked token \(id)", style: .success)
        }
    }
}
