public import WorkflowJSON

/// The bodies of messages on the report queue: one ``TaskReport`` (`lr-type: task_report`), or
/// several reports that queued up behind one publish in a worker (`lr-type: task_reports`,
/// docs/protocol.md, "Report batches"):
///
/// ```json
/// { "version": 1, "reports": [ { "version": 1, "task_id": "…", … }, { "version": 2, … } ] }
/// ```
///
/// A batch costs the broker one message where it cost one per report (a quorum-queue enqueue,
/// delivery and settlement each); each report in it is the same object a single-report message
/// carries.
public enum ReportMessage {
    /// The `lr-type` header of a message carrying one report.
    public static let singleType = "task_report"
    /// The `lr-type` header of a message carrying a batch of reports.
    public static let batchType = "task_reports"
    /// The batch envelope's version (its `version` field and `lr-version` header).
    public static let batchVersion = 1

    /// The body of a batch of reports, each already encoded (``TaskReport/encodedJSON(encodedOutcome:)``).
    public static func batchBody(_ encodedReports: [[UInt8]]) -> [UInt8] {
        var writer = JSONWriter(capacity: encodedReports.reduce(32) { $0 + $1.count + 1 })
        writer.object { object in
            object.key("version"); object.integer(batchVersion)
            object.key("reports")
            object.array { array in
                for report in encodedReports { array.json(report) }
            }
        }
        return writer.bytes
    }

    /// The reports a message carries, given its body and `lr-type` header.
    ///
    /// - Returns: `nil` when the message as a whole is unreadable (not JSON of the shape its type
    ///   names, or a batch envelope of a newer version); otherwise the readable reports, and how many
    ///   reports in a batch were not (undecodable, or of a version newer than
    ///   ``TaskReport/currentVersion``): one bad report does not cost the others.
    public static func decode(_ body: some Collection<UInt8>, type: String?) -> (reports: [TaskReport], unreadable: Int)? {
        let decoder = JSONValueDecoder()
        guard type == batchType else {
            guard let report = try? decoder.decode(TaskReport.self, from: body), report.version <= TaskReport.currentVersion else { return nil }
            return ([report], 0)
        }
        guard case .object(let envelope)? = try? JSONParser.parse(body),
              case .integer(let version)? = envelope["version"], version <= batchVersion,
              case .array(let elements)? = envelope["reports"]
        else { return nil }
        let reports = elements.compactMap { element -> TaskReport? in
            guard let report = try? decoder.decode(TaskReport.self, from: element), report.version <= TaskReport.currentVersion else { return nil }
            return report
        }
        return (reports, elements.count - reports.count)
    }
}
