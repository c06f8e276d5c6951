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

/// One run of a script: the script, its `KEYS` and its `ARGV`.
public struct ScriptCall: Sendable {
    public var script: RedisScript
    public var keys: [String]
    public var arguments: [String]

    public init(_ script: RedisScript, keys: [String], arguments: [String]) {
        self.script = script
        self.keys = keys
        self.arguments = arguments
    }

    /// What follows the script (or its SHA1) in `EVAL`/`EVALSHA`.
    var tail: [String] { [String(keys.count)] + keys + arguments }
}

extension RedisConnection {
    /// Runs `script` with `keys` as `KEYS` and `arguments` as `ARGV`; an error reply is thrown.
    public func evaluate(_ script: RedisScript, keys: [String], arguments: [String]) throws(RedisError) -> RedisReply {
        try evaluate(pipelined: [ScriptCall(script, keys: keys, arguments: arguments)])[0].checked(context: "EVALSHA")
    }

    /// Runs `script` once per element of `calls` (its `KEYS` and `ARGV`) in one pipeline; replies
    /// come back in order, error replies as values. Calls the server had forgotten the script for
    /// are run again with `EVAL`.
    public func evaluate(_ script: RedisScript, pipelined calls: [(keys: [String], arguments: [String])]) throws(RedisError) -> [RedisReply] {
        try evaluate(pipelined: calls.map { ScriptCall(script, keys: $0.keys, arguments: $0.arguments) })
    }

    /// Runs each call (of any scripts) in one pipeline; replies come back in order, error replies
    /// as values. Calls whose script the server had forgotten are run again with `EVAL`; a call
    /// whose script the server refuses to load gets that error reply, the others still run.
    public func evaluate(pipelined calls: [ScriptCall]) throws(RedisError) -> [RedisReply] {
        var replies = [RedisReply](repeating: .null, count: calls.count)
        var sent: [Int] = []
        var commands: [[String]] = []
        for (index, call) in calls.enumerated() {
            do {
                commands.append(["EVALSHA", try load(call.script)] + call.tail)
                sent.append(index)
            } catch where error.code == .server {
                replies[index] = .error(error.message)
            }
        }
        for (index, reply) in zip(sent, try pipeline(commands)) { replies[index] = reply }
        let forgotten = sent.filter {
            if case .error(let message) = replies[$0] { return message.hasPrefix("NOSCRIPT") }
            return false
        }
        if !forgotten.isEmpty {
            let retried = try pipeline(forgotten.map { ["EVAL", calls[$0].script.source] + calls[$0].tail })
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
