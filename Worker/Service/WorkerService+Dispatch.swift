import DriverSupport
import Foundation
import RabbitMQDriver
import RedisDriver
import Synchronization

extension WorkerService {
    /// Runs deliveries as they arrive (lanes in turn, ``LaneIntake``), at most ``WorkerConfiguration/concurrency`` callbacks at
    /// once (a task takes one of the ``Slots`` once it holds its lock and gives it back when its
    /// callback ends, not when its report is confirmed: publishing the report and acknowledging
    /// the delivery overlap the next task's callback); at most twice that many
    /// tasks are in flight. When the
    /// drain starts, waits for in-flight tasks until the grace period ends, then cancels the rest
    /// (they give their delivery back). Returns the deliveries it did not start.
    func dispatch(_ context: TaskContext) async -> [Intake] {
        var leftovers: [Intake] = []
        let slots = Slots(count: configuration.concurrency)
        await withTaskGroup(of: Bool.self) { group in   // true: a task finished; false: grace is over
            var running = 0
            while let item = await intake.next() {
                // Intake ends at the drain; deliveries buffered before it are given back, not started.
                if isDraining { leftovers.append(item); continue }
                while running >= configuration.concurrency * 2 {
                    if await group.next() == true { running -= 1 }
                }
                if isDraining { leftovers.append(item); continue }
                running += 1
                group.addTask {
                    await self.process(item, context, slots: slots)
                    return true
                }
            }
            guard running > 0 else { return }
            let deadline = state.withLock { $0.drainDeadline } ?? .now
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return false
            }
            log("worker \(configuration.workerID): waiting for \(running) task(s) in flight")
            while running > 0, let finished = await group.next() {
                if finished {
                    running -= 1
                } else {
                    log("worker \(configuration.workerID): grace period over, giving back \(running) task(s)")
                    group.cancelAll()
                }
            }
            group.cancelAll()
        }
        return leftovers
    }

    /// Feeds one consumer's deliveries into the intake. Keeps iterating during the drain (that
    /// is what services the connection's heartbeats) and stashes what arrives then, to give back.
    /// Ends when the consumer is closed.
    func pump(_ consumer: AMQPConsumer, index: Int) async {
        do {
            for try await delivery in consumer.deliveries {
                let item = Intake(lane: index, delivery: delivery)
                if !intake.push(item, lane: index) {
                    state.withLock { $0.stashed.append(item) }
                }
            }
        } catch is CancellationError {
            return
        } catch {
            log("worker \(configuration.workerID): consuming \(consumer.queue) failed: \(error)")
            state.withLock { state in
                if state.failure == nil { state.failure = error }
            }
            drain()
        }
    }

    /// Writes a heartbeat every ``WorkerConfiguration/heartbeatInterval`` until cancelled.
    func beat(into registry: WorkerRegistry) async {
        while !Task.isCancelled {
            let counters = counters
            let heartbeat = WorkerHeartbeat(
                workerID: configuration.workerID, host: WorkerConfiguration.hostName, startedAt: startedAt,
                inFlight: counters.inFlight, processed: counters.processed, failures: counters.failures)
            do {
                try await registry.heartbeat(heartbeat)
            } catch {
                log("worker \(configuration.workerID): heartbeat failed: \(error)")
            }
            do {
                try await Task.sleep(for: configuration.heartbeatInterval)
            } catch {
                return
            }
        }
    }
}
