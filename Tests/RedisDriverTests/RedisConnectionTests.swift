import Foundation
import RedisDriver
import Testing

@Suite struct RedisConnectionTests {
    @Test func commandRoundTrips() async throws {
        try await withRedis { redis in
            try await redis.pool.withConnection { connection in
                let key = redis.prefix + "k"
                #expect(try await connection.command(["PING"]) == .status("PONG"))
                #expect(try await connection.command(["SET", key, "héllo"]) == .status("OK"))
                #expect(try await connection.command(["GET", key]).text == "héllo")
                #expect(try await connection.command(["GET", redis.prefix + "missing"]) == .null)
                #expect(try await connection.command(["INCRBY", redis.prefix + "n", "41"]) == .integer(41))
                _ = try await connection.command(["RPUSH", redis.prefix + "list", "a", "", "c"])
                #expect(try await connection.command(["LRANGE", redis.prefix + "list", "0", "-1"])
                    == .array([.string(Array("a".utf8)), .string([]), .string(Array("c".utf8))]))
            }
        }
    }

    @Test func binaryValuesSurviveTheRoundTrip() async throws {
        try await withRedis { redis in
            let value: [UInt8] = [0, 1, 0xFF, 0xFE, 0x0D, 0x0A, 0, 0x24]
            let key = Array((redis.prefix + "bin\u{0}key").utf8)
            try await redis.pool.withConnection { connection in
                #expect(try await connection.command([Array("SET".utf8), key, value]) == .status("OK"))
                #expect(try await connection.command([Array("GET".utf8), key]) == .string(value))
                #expect(try await connection.command([Array("STRLEN".utf8), key]) == .integer(Int64(value.count)))
                // Strings with NUL go through the String overload too (lengths are explicit).
                _ = try await connection.command(["SET", redis.prefix + "s", "a\u{0}b"])
                #expect(try await connection.command(["GET", redis.prefix + "s"]).bytes == [0x61, 0, 0x62])
            }
        }
    }

    @Test func errorRepliesAreValuesUntilChecked() async throws {
        try await withRedis { redis in
            try await redis.pool.withConnection { connection in
                _ = try await connection.command(["SET", redis.prefix + "word", "abc"])
                let reply = try await connection.command(["INCR", redis.prefix + "word"])
                guard case .error(let message) = reply else { Issue.record("expected an error, got \(reply)"); return }
                #expect(message.hasPrefix("ERR"))
                #expect(throws: RedisError.self) { try reply.checked() }
                let unknown = try await connection.command(["NO-SUCH-COMMAND"])
                #expect(unknown.elements == nil && unknown.text == nil)
                // The connection is still usable after error replies.
                #expect(try await connection.command(["PING"]) == .status("PONG"))
            }
        }
    }

    @Test func pipelineKeepsCommandOrder() async throws {
        try await withRedis { redis in
            let counter = redis.prefix + "counter"
            var commands = (1...200).map { _ in ["INCR", counter] }
            commands.insert(["INCR", redis.prefix + "not-a-number", "extra"], at: 100)
            commands.append(["GET", counter])
            let replies = try await redis.pool.withConnection { try await $0.pipeline(commands) }
            #expect(replies.count == 202)
            #expect(Array(replies[0..<100]) == (1...100).map { RedisReply.integer(Int64($0)) })
            if case .error = replies[100] {} else { Issue.record("expected an error reply, got \(replies[100])") }
            #expect(Array(replies[101..<201]) == (101...200).map { RedisReply.integer(Int64($0)) })
            #expect(replies[201].text == "200")
        }
    }

    @Test func poolLendsEachConnectionToOneTaskAtATime() async throws {
        try await withRedis(size: 2) { redis in
            let counter = redis.prefix + "shared"
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        for _ in 0..<50 {
                            // 8 tasks share 2 connections: the others wait their turn and every command lands.
                            let replies = try await redis.pool.withConnection { connection in
                                try await connection.pipeline([["MULTI"], ["INCR", counter], ["EXEC"]])
                            }
                            #expect(replies[2].elements?.count == 1)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await redis.pool.command(["GET", counter]).integer == 400)
        }
    }

    /// Scripts run through the pool from many tasks at once share pipelines; each caller gets its
    /// own reply, and an error — a script's error reply, a script the server cannot compile —
    /// fails only the calls that caused it.
    @Test func concurrentScriptsThroughThePoolEachGetTheirOwnReply() async throws {
        let append = RedisScript("return redis.call('RPUSH', KEYS[1], ARGV[1])")
        let fail = RedisScript("return redis.error_reply('refused ' .. ARGV[1])")
        let broken = RedisScript("this is not Lua")
        try await withRedis(size: 2) { redis in
            let results = try await withThrowingTaskGroup(of: (Int, Result<RedisReply, RedisError>).self) { group in
                for index in 0..<120 {
                    group.addTask {
                        do {
                            let script = index % 10 == 7 ? fail : index % 10 == 3 ? broken : append
                            let key = redis.prefix + "list-\(index % 3)"
                            return (index, .success(try await redis.pool.evaluate(script, keys: [key], arguments: [String(index)])))
                        } catch let error as RedisError {
                            return (index, .failure(error))
                        }
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            for (index, result) in results {
                switch result {
                case .success(let reply): #expect(![3, 7].contains(index % 10) && reply.integer != nil, "call \(index): \(reply)")
                case .failure(let error) where index % 10 == 7: #expect(error.message.contains("refused \(index)"), "call \(index): \(error)")
                case .failure(let error): #expect(index % 10 == 3 && error.code == .server, "call \(index): \(error)")
                }
            }
            var stored: [Int] = []
            for list in 0..<3 {
                stored += try await redis.pool.command(["LRANGE", redis.prefix + "list-\(list)", "0", "-1"]).elements?.compactMap { $0.text.flatMap(Int.init) } ?? []
            }
            #expect(stored.sorted() == (0..<120).filter { ![3, 7].contains($0 % 10) }, "every other call ran exactly once")
        }
    }

    @Test func reconnectsAfterTheServerKillsTheClient() async throws {
        try await withRedis { redis in
            let victim = RedisConnection(configuration: redis.configuration)
            guard let id = try await victim.command(["CLIENT", "ID"]).integer else { Issue.record("no client id"); return }
            #expect(await victim.connectCount == 1)
            let killed = try await redis.pool.command(["CLIENT", "KILL", "ID", String(id)])
            #expect(killed == .integer(1))
            try await Task.sleep(for: .milliseconds(50))
            #expect(try await victim.command(["PING"]) == .status("PONG"))
            #expect(await victim.connectCount == 2)
            #expect(try await victim.command(["CLIENT", "ID"]).integer != id)
        }
    }

    @Test func aTimedOutCommandFailsAndTheNextOneReconnects() async throws {
        try await withRedis { redis in
            var configuration = redis.configuration
            // Short enough to time out the BLPOP, long enough for a PING on a loaded 2-core machine.
            configuration.commandTimeout = .seconds(1)
            let connection = RedisConnection(configuration: configuration)
            do {
                _ = try await connection.command(["BLPOP", redis.prefix + "empty-list", "5"])
                Issue.record("BLPOP should have timed out on the client side")
            } catch let error as RedisError {
                #expect(error.code == .io)
            }
            #expect(try await connection.command(["PING"]) == .status("PONG"))
            #expect(await connection.connectCount == 2)
        }
    }

    @Test func anUnreachableServerFailsToConnect() async throws {
        var configuration = try RedisConfiguration(url: "redis://127.0.0.1:1/0")
        configuration.reconnectAttempts = 1
        let connection = RedisConnection(configuration: configuration)
        do {
            _ = try await connection.command(["PING"])
            Issue.record("nothing listens on port 1")
        } catch {
            #expect(error.code == .connectFailed)
            #expect(error.context.contains("127.0.0.1:1"))
        }
    }

    @Test func selectsTheDatabaseFromTheURL() async throws {
        try await withRedis { redis in
            var configuration = redis.configuration
            configuration.database = 5
            let db5 = RedisConnection(configuration: configuration)
            let key = redis.prefix + "in-db-5"
            _ = try await db5.command(["SET", key, "x"])
            #expect(try await db5.command(["GET", key]).text == "x")
            if redis.configuration.database != 5 {
                #expect(try await redis.pool.command(["EXISTS", key]) == .integer(0))
            }
            _ = try await db5.command(["DEL", key])
        }
    }

    @Test func badURLsAndFailedAuthAreReported() async throws {
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "http://127.0.0.1:6379/0") }
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis://127.0.0.1:6379/zero") }
        let parsed = try RedisConfiguration(url: "redis://app:s3cret@cache.internal:6380/2")
        #expect(parsed.user == "app" && parsed.password == "s3cret" && parsed.port == 6380 && parsed.database == 2)
        #expect(!parsed.description.contains("s3cret"))

        var configuration = try RedisConfiguration.fromEnvironment()
        configuration.password = "definitely-wrong-\(UUID().uuidString)"
        configuration.user = "nobody-\(UUID().uuidString)"
        configuration.reconnectAttempts = 0
        let connection = RedisConnection(configuration: configuration)
        do {
            _ = try await connection.command(["PING"])
            Issue.record("AUTH with a wrong user should fail")
        } catch {
            #expect(error.code == .connectFailed)
        }
    }
}
