import ArgumentParser
import DriverSupport
import PostgresDriver
import RabbitMQDriver
import RedisDriver

extension LazyRabbit.Bench {
    /// `lazyrabbit bench infra`: the three drivers beside the servers' own ceilings, in one run.
    struct Infra: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the RabbitMQ, Redis and PostgreSQL layers beside each server's own ceiling.",
            discussion: """
                RabbitMQ: persistent publish+consume with confirms through the library vs a plain loop on \
                librabbitmq in the same run. Redis: lock acquire+release cycles vs redis-benchmark running \
                the same scripts. PostgreSQL: transition applies vs pgbench with an equivalent insert. \
                Uses LAZYRABBIT_AMQP_URL, LAZYRABBIT_REDIS_URL, LAZYRABBIT_DATABASE_URL (see scripts/services).
                """)

        @Option(help: "RabbitMQ messages per phase.")
        var messages: Int = 20_000

        @Option(help: "Redis lock cycles per phase.")
        var cycles: Int = 20_000

        @Option(help: "Which layers: rabbitmq, redis, postgres or all.")
        var only: String = "all"

        func run() async throws {
            let printer = ProgressPrinter.standardError()
            let layers = only == "all" ? ["rabbitmq", "redis", "postgres"] : [only]
            for layer in layers {
                printer.line("running \(layer) …", style: .dim)
                switch layer {
                case "rabbitmq":
                    print(try await AMQPBenchmark.run(url: ServerSettings.amqpURL, messages: messages))
                case "redis":
                    print(try await RedisBenchmark.run(url: ServerSettings.redisURL, cycles: cycles, concurrency: 48, poolSize: 16))
                case "postgres":
                    print(try await PostgresBenchmark.run(url: ServerSettings.databaseURL))
                default:
                    throw ValidationError("--only must be rabbitmq, redis, postgres or all")
                }
                print()
            }
        }
    }
}
