@testable import LazyRabbitWorker
import RabbitMQDriver
import Testing
import WorkflowProtocol

/// How queued-up reports are cut into messages (the publishing itself runs against the real
/// broker in WorkerServiceTests and the coordinator's reading of batches in ReportBatchTests).
@Suite struct ReportPublisherTests {
    static func reports(_ sizes: [Int]) -> [EncodedReport] {
        sizes.enumerated().map { index, size in EncodedReport(taskID: "t\(index)", version: 1, body: Array(repeating: 0x20, count: size)) }
    }

    @Test func chunksKeepOrderAndRespectTheCountAndByteLimits() {
        let byCount = ReportPublisher.chunks(of: Self.reports(Array(repeating: 10, count: 7)), maxReports: 3, maxBytes: 1_000)
        #expect(byCount.map { $0.map(\.taskID) } == [["t0", "t1", "t2"], ["t3", "t4", "t5"], ["t6"]])
        let byBytes = ReportPublisher.chunks(of: Self.reports([40, 40, 30, 120, 10]), maxReports: 10, maxBytes: 100)
        #expect(byBytes.map { $0.map(\.taskID) } == [["t0", "t1"], ["t2"], ["t3"], ["t4"]], "a report over the limit goes alone")
        #expect(ReportPublisher.chunks(of: [], maxReports: 3, maxBytes: 100).isEmpty)
    }

    @Test func oneReportTravelsAsBeforeAndSeveralAsABatch() throws {
        let topology = WorkerTopology(prefix: "lr")
        let reports = Self.reports([2, 2])
        let single = ReportPublisher.message(for: reports[...0], topology: topology)
        #expect(single.messageID == "t0/report")
        #expect(single.headers["lr-type"] == .string(ReportMessage.singleType))
        #expect(single.body == reports[0].body)
        let batch = ReportPublisher.message(for: reports[...], topology: topology)
        #expect(batch.messageID == "t0/reports+2")
        #expect(batch.headers["lr-type"] == .string(ReportMessage.batchType))
        #expect(batch.body == ReportMessage.batchBody(reports.map(\.body)))
        #expect(batch.exchange == topology.reportExchange && batch.routingKey == topology.reportRoutingKey)
    }
}
