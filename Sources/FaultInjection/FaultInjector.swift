import Foundation
import LazyRabbitWorker
import PostgresDriver
import RabbitMQDriver
import WorkflowJSON

/// Does one fault to a running cluster and heals it. Every wait is bounded.
struct FaultInjector: Sendable {
    /// When the fault was healed, and which processes it stopped on purpose.
    struct Injection: Sendable {
        var healedAt: Date
        var stopped: Set<String>
    }

    let fault: Fault
    let cluster: FaultCluster
    let sink: EffectSink
    let pool: PostgresPool
    let prefix: String
    let amqp: AMQPConfiguration
    let log: @Sendable (String) -> Void

    func inject() async throws -> Injection {
        var stopped: Set<String> = []
        switch fault {
        case .workerKill, .parallel50Kill:
            try await callbacksInFlight(fault == .workerKill ? 2 : 20)
            try await cluster.stop("worker-1", signal: SIGKILL)
            stopped.insert("worker-1")
            try await cluster.startWorker("worker-1-replacement")
        case .workerDrainParallel:
            try await callbacksInFlight(10)
            try await cluster.startWorker("worker-1-replacement")
            stopped.insert("worker-1")
            try await cluster.stop("worker-1", signal: SIGTERM, timeout: .seconds(45))
        case .brokerRestart:
            try await callbacksInFlight(1)
            try await SharedServers.stopBroker()
            try await Task.sleep(for: .seconds(3))
            try await SharedServers.startBroker()
        case .brokerKill:
            try await callbacksInFlight(1)
            try await SharedServers.killBroker()
            try await Task.sleep(for: .seconds(2))
            try await SharedServers.bootBroker()
        case .postgresRestart:
            try await callbacksInFlight(1)
            try await SharedServers.restartPostgres()
        case .coordinatorKill:
            try await callbacksInFlight(2)
            let port = await cluster.port(of: "coordinator-1")
            try await cluster.stop("coordinator-1", signal: SIGKILL)
            stopped.insert("coordinator-1")
            try await Task.sleep(for: .seconds(2))
            try await cluster.startCoordinator("coordinator-1-restarted", port: port)
        case .twoCoordinators:
            try await callbacksInFlight(2)
            try await cluster.stop("coordinator-2", signal: SIGKILL)
            stopped.insert("coordinator-2")
        case .redisFlushAndLockExpiry:
            // Let slow callbacks get well into their 3 s, past a 1 s lock's first renewals.
            try await callbacksInFlight(1)
            try await Task.sleep(for: .milliseconds(1500))
            try await SharedServers.flushRedis()
        case .duplicatePublish:
            let count = try await republishEveryTenthTask()
            log("\(fault.rawValue): published \(count) tasks a second time")
        case .poisonMessage:
            let publisher = try await AMQPPublisher.connect(amqp)
            let result = try await publisher.publish(OutgoingMessage(
                toQueue: WorkerTopology(prefix: prefix).taskQueue("default", lane: 0), body: Array("{not a task".utf8), messageID: "poison-1"))
            await publisher.close()
            guard result.isConfirmed else { throw FaultError("the broker did not confirm the poison message") }
        }
        return Injection(healedAt: Date(), stopped: stopped)
    }

    /// Waits until the effect sink answers at least `count` callbacks at once.
    private func callbacksInFlight(_ count: Int) async throws {
        let sink = self.sink
        try await FaultRun.waitUntil("\(count) callbacks in flight", timeout: .seconds(60)) { sink.inFlight >= count }
    }

    /// Reads the task rows the relay published (topic = the task exchange) from the outbox and
    /// publishes every tenth payload again, same routing key, headers and message id.
    private func republishEveryTenthTask() async throws -> Int {
        let exchange = WorkerTopology(prefix: prefix).taskExchange
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT message_id, routing_key, payload, headers FROM outbox
                WHERE topic = \(bind: exchange) AND published_at IS NOT NULL ORDER BY id
                """)
        }
        var messages: [OutgoingMessage] = []
        for (index, row) in rows.enumerated() where index % 10 == 9 {
            let headers: JSONValue = try row.decode("headers")
            var values: [String: HeaderValue] = [:]
            for (key, value) in headers.objectValue ?? [:] { values[key] = .string(value.stringValue ?? "\(value)") }
            messages.append(OutgoingMessage(
                exchange: exchange, routingKey: try row.decode("routing_key"), body: Array(try row.decode("payload", as: Data.self)),
                messageID: try row.decode("message_id"), headers: values))
        }
        guard !messages.isEmpty else { throw FaultError("no published task rows in the outbox to publish again") }
        let publisher = try await AMQPPublisher.connect(amqp)
        let results = try await publisher.publish(messages)
        await publisher.close()
        guard results.allSatisfy(\.isConfirmed) else { throw FaultError("the broker did not confirm every duplicate") }
        return messages.count
    }
}
