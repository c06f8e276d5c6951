/// A Lua script run with `EVALSHA`. Each connection loads it once with `SCRIPT LOAD` and remembers
/// its SHA1; if the server has forgotten it (`NOSCRIPT` after a restart or `SCRIPT FLUSH`) the
/// connection falls back to `EVAL`, which also puts it back in the server's cache.
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String

    /// A script with this Lua source.
    public init(_ source: String) {
        self.source = source
    }
}

extension RedisConnection {
    /// Runs `script` with `keys` as `KEYS` and `arguments` as `ARGV`; an error reply is thrown.
    public func evaluate(_ script: RedisScript, keys: [String], arguments: [String]) throws(RedisError) -> RedisReply {
        let tail = [String(keys.count)] + keys + arguments
        let sha = try load(script)
        let reply = try command(["EVALSHA", sha] + tail)
        if case .error(let message) = reply, message.hasPrefix("NOSCRIPT") {
            return try command(["EVAL", script.source] + tail).checked(context: "EVAL")
        }
        return try reply.checked(context: "EVALSHA")
    }

    /// Runs `script` once per element of `calls` (its `KEYS` and `ARGV`) in one pipeline; replies
    /// come back in order, error replies as values. Calls the server had forgotten the script for
    /// are run again with `EVAL`.
    public func evaluate(_ script: RedisScript, pipelined calls: [(keys: [String], arguments: [String])]) throws(RedisError) -> [RedisReply] {
        let tails = calls.map { [String($0.keys.count)] + $0.keys + $0.arguments }
        let sha = try load(script)
        var replies = try pipeline(tails.map { ["EVALSHA", sha] + $0 })
        let forgotten = replies.indices.filter {
            if case .error(let message) = replies[$0] { return message.hasPrefix("NOSCRIPT") }
            return false
        }
        if !forgotten.isEmpty {
            let retried = try pipeline(forgotten.map { ["EVAL", script.source] + tails[$0] })
            for (index, reply) in zip(forgotten, retried) { replies[index] = reply }
        }
        return replies
    }

    /// Loads `script` into the server's script cache (once per connection) and returns its SHA1.
    public func load(_ script: RedisScript) throws(RedisError) -> String {
        if let sha = scriptSHAs[script.source] { return sha }
        guard let sha = try command(["SCRIPT", "LOAD", script.source]).checked(context: "SCRIPT LOAD").text else {
            throw RedisError(.unexpectedReply, "SCRIPT LOAD returned no SHA1")
        }
        scriptSHAs[script.source] = sha
        return sha
    }
}
