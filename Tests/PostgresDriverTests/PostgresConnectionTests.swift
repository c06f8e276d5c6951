import Foundation
import PostgresDriver
import Testing
import WorkflowJSON

extension PostgresIntegration {
    @Suite struct PostgresConnectionTests {
        @Test func bindsRoundTripEveryType() async throws {
            try await TestDatabase.with(migrate: false) { pool throws in
                let date = Date(timeIntervalSince1970: 1_700_000_000.123)
                let json: JSONValue = ["a": [1, 2.5, "x"], "b": nil]
                let bytes = Data([0, 1, 0xFE, 0xFF])
                let rows = try await pool.withConnection { connection in
                    try await connection.query(
                        """
                        SELECT \(bind: "it's \"quoted\"")::text AS s, \(bind: Int64.max)::bigint AS i, \(bind: true)::boolean AS b,
                               \(bind: 2.5)::float8 AS d, \(bind: bytes)::bytea AS bytes, \(bind: date)::timestamptz AS t,
                               \(bind: json)::jsonb AS j, \(bind: String?.none)::text AS n, \(bind: ["a", "b\"c", "d\\e"])::text[] AS arr
                        """)
                }
                let row = try #require(rows.first)
                #expect(try row.decode("s", as: String.self) == "it's \"quoted\"")
                #expect(try row.decode("i", as: Int64.self) == .max)
                #expect(try row.decode("b", as: Bool.self))
                #expect(try row.decode("d", as: Double.self) == 2.5)
                #expect(try row.decode("bytes", as: Data.self) == bytes)
                #expect(try row.decode("t", as: Date.self) == date)
                #expect(try row.decode("j", as: JSONValue.self) == json)
                #expect(try row.decode("n", as: String?.self) == nil)
                #expect(try row.decode("arr", as: String.self) == #"{a,"b\"c","d\\e"}"#)
                #expect(throws: PostgresError.self) { try row.decode("n", as: String.self) }
            }
        }

        @Test func arrayBindsCarryByteaTimestampsAndNulls() async throws {
            try await TestDatabase.with(migrate: false) { pool throws in
                let quoteAndBackslash = Data([0x22, 0x5C, 0x00])
                let date = Date(timeIntervalSince1970: 1_700_000_000.5)
                let rows = try await pool.withConnection { connection in
                    try await connection.query(
                        """
                        SELECT (\(bind: [Data([1]), quoteAndBackslash])::bytea[])[2] AS bytes,
                               (\(bind: [Int64?.none, 5])::bigint[])[1] IS NULL AS first_null,
                               (\(bind: [Int64?.none, 5])::bigint[])[2] AS second,
                               (\(bind: [Date?.none, date])::timestamptz[])[2] AS t,
                               cardinality(\(bind: [String]())::text[]) AS empty
                        """)
                }
                let row = try #require(rows.first)
                #expect(try row.decode("bytes", as: Data.self) == quoteAndBackslash)
                #expect(try row.decode("first_null", as: Bool.self))
                #expect(try row.decode("second", as: Int64.self) == 5)
                #expect(try row.decode("t", as: Date.self) == date)
                #expect(try row.decode("empty", as: Int.self) == 0)
            }
        }

        @Test func errorsCarrySQLStateDetailAndQueryName() async throws {
            try await TestDatabase.with(migrate: false) { pool throws in
                try await pool.withConnection { connection in
                    try await connection.runScript(trustedSQL: "CREATE TABLE t (id int PRIMARY KEY)", name: "create")
                    try await connection.execute("INSERT INTO t VALUES (\(bind: 1))")
                    let error = await #expect(throws: PostgresError.self) {
                        try await connection.execute(PostgresQuery("INSERT INTO t VALUES (\(bind: 1))").named("insert_t"))
                    }
                    #expect(error?.code == PostgresError.uniqueViolation)
                    #expect(error?.detail?.contains("(id)=(1)") == true)
                    #expect(error?.query == "insert_t")
                    // The connection is still usable, and the prepared statement is reused.
                    #expect(try await connection.execute("INSERT INTO t VALUES (\(bind: 2))") == 1)
                }
            }
        }

        @Test func transactionsCommitAndRollBackOnThrow() async throws {
            struct Refused: Error {}
            try await TestDatabase.with(migrate: false) { pool throws in
                try await pool.withConnection { try await $0.runScript(trustedSQL: "CREATE TABLE t (id int)", name: "create") }
                try await pool.withTransaction { connection in
                    try await connection.execute("INSERT INTO t VALUES (\(bind: 1))")
                }
                await #expect(throws: Refused.self) {
                    try await pool.withTransaction { connection in
                        try await connection.execute("INSERT INTO t VALUES (\(bind: 2))")
                        throw Refused()
                    }
                }
                await #expect(throws: PostgresError.self) {
                    try await pool.withTransaction { connection in
                        try await connection.execute("INSERT INTO t VALUES (\(bind: 3))")
                        try await connection.execute("INSERT INTO t VALUES (\(bind: "not a number"))")
                    }
                }
                #expect(try await TestDatabase.count(pool, "SELECT count(*) FROM t") == 1)
                #expect(try await TestDatabase.count(pool, "SELECT count(*) FROM t WHERE id = 1") == 1)
            }
        }

        @Test func pipelineReturnsEveryResultAndIsAllOrNothing() async throws {
            try await TestDatabase.with(migrate: false) { pool throws in
                try await pool.withConnection { connection in
                    try await connection.runScript(trustedSQL: "CREATE TABLE t (id int PRIMARY KEY)", name: "create")
                    let inserts = (1...50).map { PostgresQuery("INSERT INTO t VALUES (\(bind: $0)) RETURNING id") }
                    let results = try await connection.pipeline(inserts)
                    #expect(try results.map { try $0.rows[0].decode("id", as: Int.self) } == Array(1...50))
                    let failing = [PostgresQuery("INSERT INTO t VALUES (\(bind: 51)) RETURNING id"), "INSERT INTO t VALUES (\(bind: 1)) RETURNING id"]
                    let error = await #expect(throws: PostgresError.self) { try await connection.pipeline(failing) }
                    #expect(error?.code == PostgresError.uniqueViolation)
                    #expect(try await connection.query("SELECT count(*) AS n FROM t").first?.decode("n", as: Int.self) == 50)
                }
            }
        }
    }
}
