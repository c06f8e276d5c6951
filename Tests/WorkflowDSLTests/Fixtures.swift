@testable import WorkflowDSL

/// Documents and helpers shared by the DSL tests.
enum Fixtures {
    /// A valid workflow that uses every state type and every callback type.
    static let everything = """
        apiVersion: lazyrabbit/v1
        name: customer-onboarding
        description: Everything the DSL can say
        start: validate
        timeout: 1h
        input:
          fields:
            email: { type: string, required: true, description: Customer email }
            tier: { type: string, default: standard }
        states:
          validate:
            type: task
            callback:
              type: http
              method: POST
              url: "https://crm.example.com/validate"
              headers: { Authorization: "Bearer ${secret.CRM_TOKEN}" }
              query: { source: onboarding }
              body: { email: "${input.email}" }
            output: validation
            timeout: 30s
            retry: { max_attempts: 3, backoff: exponential, initial: 1s, max: 30s, non_retryable: [http_4xx] }
            catch:
              - errors: [timeout]
                next: rejected
                output: failure
            next: route
          route:
            type: choice
            choices:
              - when: "validation.tier == 'gold'"
                next: vip
              - ai: "Customer looks risky?"
                next: review
            default: standard
          vip: { type: task, callback: { type: log, message: "VIP ${input.email}", level: info }, next: setup }
          standard: { type: task, callback: { type: delay, duration: 500ms }, next: setup }
          review:
            type: approval
            message: "Approve ${input.email}?"
            timeout: 48h
            on_timeout: rejected
            on_reject: rejected
            next: setup
          setup:
            type: parallel
            branches:
              - start: welcome
                states:
                  welcome: { type: task, callback: { type: llm, prompt: "Write a welcome for ${input.email}", max_tokens: 200, temperature: 0.2 }, end: true }
              - start: account
                states:
                  account: { type: task, callback: { type: handler, name: create_account, input: { email: "${input.email}" }, queue: accounts }, end: true }
            next: each_line
          each_line:
            type: map
            items: "input.lines"
            max_concurrency: 4
            iterator:
              start: line
              states:
                line: { type: task, callback: { type: workflow, workflow: process-line, input: { line: "${item}" } }, end: true }
            next: compute
          compute:
            type: task
            callback:
              type: transform
              set:
                total: "${size(input.lines)}"
                flag: true
                alpha: "first"
            next: cool_off
          cool_off: { type: wait, duration: 1d, next: note }
          note: { type: pass, result: { done: true }, next: done }
          done: { type: succeed, result: "${context}" }
          rejected: { type: fail, error: validation_failed, cause: "rejected ${input.email}" }
        on_error: { strategy: auto, fallback: rejected }
        """

    /// A small valid workflow to change one thing at a time.
    static func minimal(states: String = "  first: { type: pass, next: done }\n  done: { type: succeed }", start: String = "first") -> String {
        """
        apiVersion: lazyrabbit/v1
        name: minimal
        start: \(start)
        states:
        \(states)
        """
    }

    static func load(_ source: String, options: ValidationOptions = .init()) -> WorkflowDocument.LoadResult {
        WorkflowDocument.load(source, options: options)
    }

    static func codes(_ source: String, options: ValidationOptions = .init()) -> [String] {
        load(source, options: options).diagnostics.map(\.code)
    }

    /// The first diagnostic with `code`.
    static func first(_ code: String, in source: String, options: ValidationOptions = .init()) -> Diagnostic? {
        load(source, options: options).diagnostics.first { $0.code == code }
    }
}
