import DriverSupport
import RabbitMQDriver
import WorkflowProtocol

/// One task's report, encoded, waiting to be published.
struct EncodedReport: Sendable {
    var taskID: String
    /// The report's own version (its `lr-version` when it travels alone).
    var version: Int
    var body: [UInt8]
}

/// Publishes task reports with confirms, several in one message when they queue up.
///
/// With nothing in flight a report goes out at once, alone, as a `task_report` message. Reports
/// finished while an earlier publish waits for its confirm queue up and go out together once it
/// is answered, as one `task_reports` message (``ReportMessage``) of at most `maxReports` reports
/// and about `maxBytes` bytes: under load a worker finishes about ten reports per confirm round
/// trip, and the broker's work (a quorum-queue enqueue, a delivery and a settlement) is per
/// message. Each caller gets its own report's confirm, so a task is still acked only once its
/// report is confirmed.
struct ReportPublisher: Sendable {
    private let group: SubmissionGroup<EncodedReport, PublishResult>

    init(publisher: AMQPPublisher, topology: WorkerTopology, maxReports: Int = 64, maxBytes: Int = 512 * 1024) {
        let maxReports = max(1, maxReports)
        group = SubmissionGroup(maxWeight: maxReports) { reports in
            let chunks = Self.chunks(of: reports, maxReports: maxReports, maxBytes: maxBytes)
            do {
                let results = try await publisher.publish(chunks.map { Self.message(for: $0, topology: topology) })
                return zip(chunks, results).flatMap { chunk, result in Array(repeating: .success(result), count: chunk.count) }
            } catch {
                return reports.map { _ in .failure(error) }
            }
        }
    }

    /// Publishes `report` (maybe with others) and answers its confirm.
    func publish(_ report: EncodedReport) async throws -> PublishResult {
        try await group.submit(report)
    }

    /// `reports` cut, in order, into runs of at most `maxReports` reports and — unless a report
    /// alone is larger — `maxBytes` bytes.
    static func chunks(of reports: [EncodedReport], maxReports: Int, maxBytes: Int) -> [ArraySlice<EncodedReport>] {
        var chunks: [ArraySlice<EncodedReport>] = []
        var start = reports.startIndex
        var bytes = 0
        for index in reports.indices {
            let size = reports[index].body.count
            if index > start, index - start >= maxReports || bytes + size > maxBytes {
                chunks.append(reports[start..<index])
                start = index
                bytes = 0
            }
            bytes += size
        }
        if start < reports.endIndex { chunks.append(reports[start...]) }
        return chunks
    }

    /// The message carrying `chunk`: a single report as before batching, several as a batch.
    static func message(for chunk: ArraySlice<EncodedReport>, topology: WorkerTopology) -> OutgoingMessage {
        let first = chunk[chunk.startIndex]
        if chunk.count == 1 {
            return OutgoingMessage(
                exchange: topology.reportExchange, routingKey: topology.reportRoutingKey, body: first.body, messageID: "\(first.taskID)/report",
                headers: ["lr-type": .string(ReportMessage.singleType), "lr-version": .int(Int64(first.version))])
        }
        return OutgoingMessage(
            exchange: topology.reportExchange, routingKey: topology.reportRoutingKey, body: ReportMessage.batchBody(chunk.map(\.body)),
            messageID: "\(first.taskID)/reports+\(chunk.count)",
            headers: ["lr-type": .string(ReportMessage.batchType), "lr-version": .int(Int64(ReportMessage.batchVersion))])
    }
}
