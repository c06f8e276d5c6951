// A custom worker written with the LazyRabbit Swift SDK: it serves the `billing` task queue with
// one handler of its own, `send_invoice`, next to the built-ins.
//
//   swift run custom-worker          # with a cluster running (scripts/cluster up)
//
// Workflows reach it with a handler callback on that queue, as examples/invoice.yaml does:
//
//   callback: { type: handler, name: send_invoice, queue: billing, input: { order_id: "${input.order_id}" } }
import Foundation
import LazyRabbitWorker
import WorkflowJSON

var worker = Worker(queues: ["billing"])
worker.register("send_invoice") { input, context in
    guard let order = input["order_id"]?.stringValue else {
        throw HandlerError("invalid_input", "send_invoice needs {order_id}")
    }
    guard let amount = input["amount"]?.doubleValue, amount > 0 else {
        throw HandlerError("invalid_amount", "order \(order): the amount must be a positive number")
    }
    // The task id is stable across redeliveries: use it as the idempotency key of the real side effect.
    return [
        "invoice": .string("INV-\(order)"),
        "amount": .double(amount),
        "idempotency_key": .string(context.taskID),
        "attempt": .integer(context.attempt),
    ]
}
try await worker.run()
