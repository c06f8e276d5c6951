public import Foundation

extension JWTVerifier {
    /// What ``JWTVerifier`` accepts: keys, algorithms and the claims it requires.
    ///
    /// ```swift
    /// var configuration = JWTVerifier.Configuration(hmacSecret: secret)
    /// configuration.issuer = "https://id.example.com"
    /// let verifier = try JWTVerifier(configuration: configuration)
    /// ```
    public struct Configuration: Sendable {
        /// The HS256 shared secret (at least 32 bytes). Default `nil`: HS256 tokens are refused.
        public var hmacSecret: [UInt8]?
        /// The ES256 public key, a P-256 key in PEM (`-----BEGIN PUBLIC KEY-----`). Default `nil`:
        /// ES256 tokens are refused.
        public var es256PublicKeyPEM: String?
        /// The algorithms a token's header may name. Default: HS256 and ES256 (each still needs its key).
        /// `none` is never accepted.
        public var allowedAlgorithms: Set<JWTAlgorithm>
        /// The `iss` a token must carry. Default `nil`: not checked.
        public var issuer: String?
        /// A value the token's `aud` (a string or an array) must contain. Default `nil`: not checked.
        public var audience: String?
        /// How far `exp` and `nbf` may be off, for clock skew. Default 30 s.
        public var leeway: Duration
        /// Whether a token without `exp` is refused. Default `true`: every token expires.
        public var requireExpiration: Bool
        /// The claim that holds the ``Role``. Default `role`.
        public var roleClaim: String

        /// The smallest HS256 secret accepted, in bytes (the size of the SHA-256 output).
        public static let minimumSecretLength = 32

        /// A configuration with the documented defaults.
        public init(
            hmacSecret: [UInt8]? = nil, es256PublicKeyPEM: String? = nil, allowedAlgorithms: Set<JWTAlgorithm> = Set(JWTAlgorithm.allCases),
            issuer: String? = nil, audience: String? = nil, leeway: Duration = .seconds(30), requireExpiration: Bool = true,
            roleClaim: String = "role"
        ) {
            self.hmacSecret = hmacSecret
            self.es256PublicKeyPEM = es256PublicKeyPEM
            self.allowedAlgorithms = allowedAlgorithms
            self.issuer = issuer
            self.audience = audience
            self.leeway = leeway
            self.requireExpiration = requireExpiration
            self.roleClaim = roleClaim
        }

        /// The configuration the environment describes (unset or empty variables keep the defaults):
        ///
        /// - `LAZYRABBIT_JWT_SECRET`: the HS256 secret (UTF-8, at least 32 bytes).
        /// - `LAZYRABBIT_JWT_PUBLIC_KEY`: the ES256 public key PEM, or
        ///   `LAZYRABBIT_JWT_PUBLIC_KEY_FILE`: a file holding it.
        /// - `LAZYRABBIT_JWT_ALGORITHMS`: a comma-separated allow-list (`HS256,ES256`).
        /// - `LAZYRABBIT_JWT_ISSUER`, `LAZYRABBIT_JWT_AUDIENCE`: the required `iss` and `aud`.
        /// - `LAZYRABBIT_JWT_LEEWAY_SECONDS`: the clock-skew leeway.
        ///
        /// - Throws: ``AccessError/invalidConfiguration(_:)`` naming the variable at fault.
        public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws(AccessError) -> Self {
            func value(_ name: String) -> String? {
                guard let value = env[name], !value.isEmpty else { return nil }
                return value
            }
            var configuration = Self()
            if let secret = value("LAZYRABBIT_JWT_SECRET") {
                configuration.hmacSecret = Array(secret.utf8)
            }
            if let pem = value("LAZYRABBIT_JWT_PUBLIC_KEY") {
                configuration.es256PublicKeyPEM = pem
            } else if let path = value("LAZYRABBIT_JWT_PUBLIC_KEY_FILE") {
                guard let pem = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw .invalidConfiguration("LAZYRABBIT_JWT_PUBLIC_KEY_FILE: cannot read \(path)")
                }
                configuration.es256PublicKeyPEM = pem
            }
            if let list = value("LAZYRABBIT_JWT_ALGORITHMS") {
                var algorithms: Set<JWTAlgorithm> = []
                for name in list.split(separator: ",") {
                    let trimmed = name.trimmingCharacters(in: .whitespaces)
                    guard let algorithm = JWTAlgorithm(rawValue: trimmed.uppercased()) else {
                        throw .invalidConfiguration("LAZYRABBIT_JWT_ALGORITHMS: unknown algorithm \(trimmed)")
                    }
                    algorithms.insert(algorithm)
                }
                configuration.allowedAlgorithms = algorithms
            }
            configuration.issuer = value("LAZYRABBIT_JWT_ISSUER")
            configuration.audience = value("LAZYRABBIT_JWT_AUDIENCE")
            if let text = value("LAZYRABBIT_JWT_LEEWAY_SECONDS") {
                guard let seconds = Int(text), seconds >= 0 else {
                    throw .invalidConfiguration("LAZYRABBIT_JWT_LEEWAY_SECONDS: not a whole number of seconds: \(text)")
                }
                configuration.leeway = .seconds(seconds)
            }
            try configuration.validate()
            return configuration
        }

        /// Checks what can be checked without a token: the secret's length.
        ///
        /// - Throws: ``AccessError/invalidConfiguration(_:)``.
        public func validate() throws(AccessError) {
            if let hmacSecret, hmacSecret.count < Self.minimumSecretLength {
                throw .invalidConfiguration("the HS256 secret has \(hmacSecret.count) bytes; at least \(Self.minimumSecretLength) are needed")
            }
        }
    }
}

/// The verifier's configuration, by its short name (``JWTVerifier/Configuration``).
public typealias JWTConfiguration = JWTVerifier.Configuration
