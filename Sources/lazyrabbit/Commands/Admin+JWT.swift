import AccessControl
import ArgumentParser
import Foundation

extension LazyRabbit.Admin {
    /// `lazyrabbit admin jwt`: mints an HS256 token with `LAZYRABBIT_JWT_SECRET`, for tests and scripts.
    struct JWT: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "jwt",
            abstract: "Print an HS256 JWT signed with LAZYRABBIT_JWT_SECRET (for tests and scripts).")

        @Option(help: "The subject (user name).") var sub: String
        @Option(help: "The role: admin, operator or viewer.") var role: String
        @Option(help: "Seconds until the token expires.") var ttl = 3600
        @Option(help: "The iss claim.") var issuer: String?
        @Option(help: "The aud claim.") var audience: String?

        func validate() throws {
            guard Role(rawValue: role) != nil else { throw ValidationError("--role must be admin, operator or viewer, not \(role)") }
            guard ttl > 0 else { throw ValidationError("--ttl must be positive") }
            guard !sub.isEmpty else { throw ValidationError("--sub must not be empty") }
        }

        func run() async throws {
            let printer = ProgressPrinter.standardError()
            guard let secret = ProcessInfo.processInfo.environment["LAZYRABBIT_JWT_SECRET"], !secret.isEmpty else {
                printer.problem("LAZYRABBIT_JWT_SECRET is not set: it is the HS256 secret the coordinator verifies tokens with")
                throw ExitCodes.invalid
            }
            let now = Date()
            let claims = JWTClaims(
                subject: sub, role: Role(rawValue: role)!, expiresAt: now + Double(ttl), issuedAt: now, issuer: issuer,
                audience: audience.map { [$0] } ?? [])
            do {
                print(try JWTSigner.hs256(secret: Array(secret.utf8)).sign(claims))
            } catch let error as AccessError {
                printer.problem("LAZYRABBIT_JWT_SECRET: \(error)")
                throw ExitCodes.invalid
            }
        }
    }
}
