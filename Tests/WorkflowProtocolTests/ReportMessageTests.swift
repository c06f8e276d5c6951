import Foundation
import Testing
import WorkflowJSON
import WorkflowProtocol

@Suite struct ReportMessageTests {
    static func report(_ taskID: String, outcome: TaskOutcome = .succeeded(["ok": true])) -> TaskReport {
        TaskReport(
            executionID: "e-\(taskID)", taskID: taskID, attempt: 1, outcome: outcome, workerID: "w", fencingToken: 3,
            startedAt: Date(timeIntervalSince1970: 1), finishedAt: Date(timeIntervalSince1970: 2))
    }

    @Test func aBatchCarriesEachReportAsItsOwnMessageWould() throws {
        let reports = [Self.report("a"), Self.report("b", outcome: .failed(TaskFailure(errorClass: "timeout", message: "slow"))),
                       Self.report("c").byReference("sha256:abc")]
        let body = ReportMessage.batchBody(reports.map { $0.encodedJSON() })
        let decoded = try #require(ReportMessage.decode(body, type: ReportMessage.batchType))
        #expect(decoded.reports == reports)
        #expect(decoded.unreadable == 0)
        #expect(try JSONParser.parse(body)["version"] == .integer(ReportMessage.batchVersion))
    }

    @Test func aSingleReportMessageIsReadAsBefore() throws {
        let report = Self.report("a")
        for type in [ReportMessage.singleType, nil] {
            #expect(ReportMessage.decode(report.encodedJSON(), type: type)?.reports == [report], "type \(String(describing: type))")
        }
        #expect(ReportMessage.decode(Array("{}".utf8), type: ReportMessage.singleType) == nil)
    }

    @Test func unreadableOrNewerReportsInABatchAreLeftOutAlone() throws {
        var newer = Self.report("n")
        newer.version = TaskReport.currentVersion + 1
        let body = ReportMessage.batchBody([
            Self.report("a").encodedJSON(), Array(#"{"task_id": 1}"#.utf8), newer.encodedJSON(), Array("[]".utf8), Self.report("b").encodedJSON(),
        ])
        let decoded = try #require(ReportMessage.decode(body, type: ReportMessage.batchType))
        #expect(decoded.reports.map(\.taskID) == ["a", "b"])
        #expect(decoded.unreadable == 3)
    }

    @Test func aBatchThatIsNotOneIsUnreadable() {
        let report = Self.report("a").encodedJSON()
        #expect(ReportMessage.decode(report, type: ReportMessage.batchType) == nil, "a single report labelled as a batch")
        #expect(ReportMessage.decode(ReportMessage.batchBody([report]), type: ReportMessage.singleType) == nil, "a batch labelled as one report")
        #expect(ReportMessage.decode(Array(#"{"version": 2, "reports": []}"#.utf8), type: ReportMessage.batchType) == nil, "a newer envelope")
        #expect(ReportMessage.decode(Array("not json".utf8), type: ReportMessage.batchType) == nil)
    }
}
