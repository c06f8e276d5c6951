/// The benchmark workloads, as `lazyrabbit bench --workload` names them.
public enum Workload: String, Sendable, CaseIterable, Codable {
    /// 1000 executions of a 10-state chain of no-op tasks.
    case w1 = "W1"
    /// 200 executions of 1 step → 10 parallel steps → join → 1 step.
    case w2 = "W2"
    /// One 20-step chain, 20 times in a row: the engine's overhead per step.
    case w3 = "W3"
    /// 500 executions × 3 HTTP GETs to a local server that answers after 50 ms.
    case w4 = "W4"

    /// What the workload measures, for the table.
    public var summary: String {
        switch self {
        case .w1: "chain: 1000 × 10 no-op steps"
        case .w2: "fan-out/fan-in: 200 × (1 → 10 parallel → 1)"
        case .w3: "latency: 20 × one 20-step chain"
        case .w4: "I/O: 500 × 3 HTTP GETs of 50 ms"
        }
    }
}
