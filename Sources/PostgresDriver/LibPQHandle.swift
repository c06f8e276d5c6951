import CLibPQ
import Foundation

/// The one owner of a libpq connection (`PGconn`): it checks every return code, copies every
/// result out into Swift values at once and frees it with `PQclear`, and closes the connection in
/// `deinit`. Not thread-safe: only ``PostgresConnection`` holds one, on its own thread.
final class LibPQHandle {
    private let connection: OpaquePointer
    /// Prepared statement names by SQL text: each text is prepared once per connection.
    private var prepared: [String: String] = [:]
    /// Set when the protocol state is unknown (a pipeline that broke half way): the handle must be replaced.
    private var poisoned = false

    /// Connects with `PQconnectdbParams` and installs a notice processor that drops notices.
    init(parameters: [(String, String)]) throws(PostgresError) {
        let keywords = parameters.map { strdup($0.0) } + [nil]
        let values = parameters.map { strdup($0.1) } + [nil]
        defer { (keywords + values).forEach { free($0) } }
        let connection = keywords.map { UnsafePointer($0) }.withUnsafeBufferPointer { keywordPointers in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { valuePointers in
                PQconnectdbParams(keywordPointers.baseAddress, valuePointers.baseAddress, 0)
            }
        }
        guard let connection else { throw .connectionLost("libpq could not allocate a connection") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(connection)
            throw .connectionLost(message)
        }
        // Without a processor libpq prints NOTICE/WARNING lines (e.g. "relation already exists, skipping") to stderr.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        self.connection = connection
    }

    deinit {
        PQfinish(connection)
    }

    /// `true` when the connection can no longer be used.
    var isBroken: Bool { poisoned || PQstatus(connection) == CONNECTION_BAD }

    /// Reads, without blocking, what the server sent while the connection sat idle: after a server
    /// restart that is a FATAL message and end-of-file, which marks the connection broken before a
    /// statement is sent on it (so that statement goes to a new connection instead of failing).
    func readIdleInput() {
        guard !isBroken else { return }
        // While idle libpq treats a FATAL as a notice; the end-of-file behind it shows on the next read.
        for _ in 0..<2 {
            guard PQconsumeInput(connection) == 1 else {
                poisoned = true
                return
            }
            _ = PQisBusy(connection)  // parses what arrived
        }
    }

    /// `true` inside a transaction block (open or failed).
    var isInTransaction: Bool {
        let status = PQtransactionStatus(connection)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// Runs one statement as a prepared statement (prepared on first use) with text binds.
    func execute(_ query: PostgresQuery) throws(PostgresError) -> PostgresResult {
        let name = try statementName(for: query)
        let result = Self.withCStrings(query.binds) { values in
            PQexecPrepared(connection, name, Int32(query.binds.count), values, nil, nil, 0)
        }
        return try consume(result, label: query.label)
    }

    /// Runs unparameterised SQL, possibly several statements, with the simple query protocol.
    func runScript(_ sql: String, label: String) throws(PostgresError) {
        _ = try consume(PQexec(connection, sql), label: label)
    }

    /// Sends every query, one `PQpipelineSync`, then reads every result: one round trip, and one
    /// implicit transaction (a failure rolls back all of them).
    func pipeline(_ queries: [PostgresQuery]) throws(PostgresError) -> [PostgresResult] {
        var names: [String] = []
        for query in queries { names.append(try statementName(for: query)) }
        guard PQenterPipelineMode(connection) == 1 else { throw connectionError(label: "pipeline") }
        for (query, name) in zip(queries, names) {
            let sent = Self.withCStrings(query.binds) { values in
                PQsendQueryPrepared(connection, name, Int32(query.binds.count), values, nil, nil, 0)
            }
            guard sent == 1 else { throw poison(label: query.label) }
        }
        guard PQpipelineSync(connection) == 1 else { throw poison(label: "pipeline sync") }
        var results: [PostgresResult] = []
        var firstError: PostgresError?
        for query in queries {
            guard let result = PQgetResult(connection) else { throw poison(label: query.label) }
            do {
                results.append(try consume(result, label: query.label))
            } catch {
                firstError = firstError ?? error
            }
            if let extra = PQgetResult(connection) {
                PQclear(extra)
                throw poison(label: query.label)
            }
        }
        guard let sync = PQgetResult(connection), PQresultStatus(sync) == PGRES_PIPELINE_SYNC else { throw poison(label: "pipeline sync") }
        PQclear(sync)
        guard PQexitPipelineMode(connection) == 1 else { throw poison(label: "pipeline exit") }
        if let firstError { throw firstError }
        return results
    }

    private func statementName(for query: PostgresQuery) throws(PostgresError) -> String {
        if let name = prepared[query.sql] { return name }
        let name = "lr_\(prepared.count + 1)"
        _ = try consume(PQprepare(connection, name, query.sql, Int32(query.binds.count), nil), label: query.label)
        prepared[query.sql] = name
        return name
    }

    /// Copies a result out and frees it; throws its error if it failed.
    private func consume(_ result: OpaquePointer?, label: String) throws(PostgresError) -> PostgresResult {
        guard let result else { throw connectionError(label: label) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return Self.copy(result)
        case PGRES_PIPELINE_ABORTED:
            throw PostgresError(code: "25P02", message: "not run: an earlier statement in the pipeline failed", query: label)
        default:
            throw error(from: result, label: label)
        }
    }

    private static func copy(_ result: OpaquePointer) -> PostgresResult {
        let fieldCount = PQnfields(result)
        let columns = (0..<fieldCount).map { String(cString: PQfname(result, $0)) }
        var indexes: [String: Int] = [:]
        for (index, column) in columns.enumerated() where indexes[column] == nil { indexes[column] = index }
        let rows = (0..<PQntuples(result)).map { row in
            PostgresRow(
                columns: columns, indexes: indexes,
                values: (0..<fieldCount).map { field in
                    PQgetisnull(result, row, field) == 1 ? nil : String(cString: PQgetvalue(result, row, field))
                })
        }
        return PostgresResult(rows: rows, affectedRows: Int(String(cString: PQcmdTuples(result))) ?? 0)
    }

    private func error(from result: OpaquePointer, label: String) -> PostgresError {
        func field(_ code: UInt8) -> String? { PQresultErrorField(result, Int32(code)).map { String(cString: $0) } }
        let message = field(UInt8(ascii: "M")) ?? String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let code = field(UInt8(ascii: "C")) else { return connectionError(label: label, fallback: message) }
        return PostgresError(code: code, message: message, detail: field(UInt8(ascii: "D")), query: label)
    }

    /// An error without SQLSTATE: the connection's own message, coded as a connection failure when it broke.
    private func connectionError(label: String, fallback: String? = nil) -> PostgresError {
        let text = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
        let message = text.isEmpty ? (fallback ?? "libpq failed") : text
        return isBroken ? .connectionLost(message, query: label) : PostgresError(code: "XX000", message: message, query: label)
    }

    private func poison(label: String) -> PostgresError {
        poisoned = true
        return connectionError(label: label)
    }

    private static func withCStrings<T>(_ values: [PostgresValue], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
        let copies = values.map { $0.text.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        return body(copies.map { UnsafePointer($0) })
    }
}
