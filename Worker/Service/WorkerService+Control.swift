import Foundation
import RabbitMQDriver
import Synchronization
import WorkflowJSON
import WorkflowProtocol

extension WorkerService {
    /// Consumes this worker's control queue until the consumer is closed or the task cancelled.
    /// Each message is acked at once (a control message is advice, not work: a lost one costs
    /// only the callback's remaining time) and then carried out.
    func listen(to control: AMQPConsumer) async {
        do {
            for try await delivery in control.deliveries {
                try? await control.ack(delivery)
                guard let message = try? JSONValueDecoder().decode(ControlMessage.self, from: delivery.body),
                      message.version <= ControlMessage.currentVersion
                else {
                    log("worker \(configuration.workerID): ignoring an undecodable control message \(delivery.messageID ?? "?")")
                    continue
                }
                apply(message)
            }
        } catch is CancellationError {
            return
        } catch {
            // Tasks still run and report without control messages; cancelled ones just run to their end.
            log("worker \(configuration.workerID): consuming control messages failed: \(error)")
        }
    }

    /// Carries out one control message.
    func apply(_ message: ControlMessage) {
        switch message.command {
        case .cancelTask:
            guard let taskID = message.taskID else { return }
            let running = state.withLock { state in
                state.cancelled.insert(taskID)
                return state.running[taskID]
            }
            guard let running else { return }
            log("worker \(configuration.workerID): cancelling task \(taskID) (control message)")
            running.cancel()
        case .drain:
            log("worker \(configuration.workerID): drain requested by a control message")
            drain()
        }
    }

    /// Whether a control message cancelled `taskID` (recently enough to be remembered).
    func wasCancelled(_ taskID: String) -> Bool {
        state.withLock { $0.cancelled.contains(taskID) }
    }

    /// Runs `task`'s callback in a task of its own that a `cancel_task` control message can cancel
    /// (the callback sees ordinary task cancellation); cancelling the caller cancels it too.
    func runCancellable(_ task: StateTask) async -> TaskOutcome {
        let run = Task { await runner.run(task) }
        let cancelledAlready = state.withLock { state in
            state.running[task.taskID] = run
            return state.cancelled.contains(task.taskID)
        }
        if cancelledAlready { run.cancel() }
        defer { state.withLock { _ = $0.running.removeValue(forKey: task.taskID) } }
        return await withTaskCancellationHandler {
            await run.value
        } onCancel: {
            run.cancel()
        }
    }
}
