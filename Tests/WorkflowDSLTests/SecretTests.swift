import Testing
@testable import WorkflowDSL

@Suite("Secrets")
struct SecretTests {
    private func http(_ fields: String) -> String {
        Fixtures.minimal(states: "  first: { type: task, callback: { type: http, url: \"https://api.example.com\", \(fields) }, end: true }")
    }

    @Test func secretReferencesAreAllowed() {
        #expect(Fixtures.load(http("headers: { Authorization: \"Bearer ${secret.API_TOKEN}\", X-Api-Key: \"${secret.KEY}\" }")).isValid)
    }

    @Test func secretInsideALargerExpression() {
        let diagnostic = Fixtures.first("secret_misuse", in: http("headers: { Authorization: \"${'Bearer ' + secret.X}\" }"))
        #expect(diagnostic?.path == "states.first.callback.headers.Authorization")
        #expect(diagnostic?.hint?.contains("${secret.NAME}") == true)
    }

    @Test func secretsInConditionsAreRefused() {
        let states = "  first: { type: choice, choices: [ { when: \"secret.X == 'a'\", next: done } ] }\n  done: { type: succeed }"
        #expect(Fixtures.codes(Fixtures.minimal(states: states)).contains("secret_misuse"))
    }

    /// The prompt goes to a third party and the answer into the context: no secret belongs there.
    @Test func llmCallbacksGetNoSecrets() {
        let states = "  first: { type: task, callback: { type: llm, prompt: \"Use ${secret.DB_PASSWORD}\", system: \"${secret.X}\" }, end: true }"
        let diagnostics = Fixtures.load(Fixtures.minimal(states: states)).diagnostics.filter { $0.code == "secret_misuse" }
        #expect(diagnostics.map(\.path) == ["states.first.callback.prompt", "states.first.callback.system"])
        #expect(Fixtures.load(Fixtures.minimal(states: "  first: { type: task, callback: { type: llm, prompt: \"Hi ${input.name}\" }, end: true }")).isValid)
    }

    /// With an allow-list of models, a callback naming another is refused where the workflow is
    /// stored (with its line); running a stored one does not check again (workers do).
    @Test func llmCallbacksNameOnlyAllowedModels() {
        let options = ValidationOptions(allowedModels: ["small", "gpt-4o-mini"])
        func source(model: String) -> String {
            Fixtures.minimal(states: "  first: { type: task, callback: { type: llm, prompt: \"Hi\", model: \(model) }, end: true }")
        }
        let huge = source(model: "huge")
        let diagnostic = Fixtures.first("model_not_allowed", in: huge, options: options)
        #expect(diagnostic?.path == "states.first.callback.model" && diagnostic?.line != nil)
        #expect(diagnostic?.hint == "use one of `gpt-4o-mini`, `small`, or leave `model` out for the default")
        #expect(Fixtures.load(huge, options: options.forRunning).isValid)
        #expect(Fixtures.load(huge).isValid, "no allow-list: any model")
        #expect(Fixtures.load(source(model: "small"), options: options).isValid)
    }

    @Test func literalCredentialHeaders() {
        let diagnostic = Fixtures.first("literal_secret", in: http("headers: { Authorization: \"Bearer abc123\" }"))
        #expect(diagnostic?.hint == "use ${secret.NAME} and provide the value as a secret")
        #expect(Fixtures.codes(http("headers: { x-api-key: \"abc\" }")).contains("literal_secret"))
        #expect(Fixtures.load(http("headers: { Accept: application/json }")).isValid)
    }

    @Test(arguments: [
        "sk-abcdefghijklmnopqrstuvwxyz012345", "AKIAABCDEFGHIJKLMNOP", "ghp_" + String(repeating: "a", count: 36),
        "xoxb-1234567890-abcdefghij", "-----BEGIN RSA PRIVATE KEY-----",
    ])
    func credentialPatterns(value: String) {
        #expect(Fixtures.codes(http("body: { note: \"\(value)\" }")).contains("literal_secret"))
    }

    @Test func credentialKeysWithLiteralValues() {
        let diagnostics = Fixtures.load(http("body: { user: bob, password: hunter2, client_secret: \"\", token: \"${input.token}\" }")).diagnostics
        #expect(diagnostics.map(\.code) == ["literal_secret"])
        #expect(diagnostics.first?.path == "states.first.callback.body.password")
        #expect(Fixtures.codes(http("query: { api_key: abc }")).contains("literal_secret"))
    }

    @Test func secretsInOtherCallbacksAndResults() {
        let states = """
              first: { type: task, callback: { type: handler, name: h, input: { apikey: plain } }, next: done }
              done: { type: succeed, result: { token: "sk-abcdefghijklmnopqrstuvwxyz" } }
            """
        let paths = Fixtures.load(Fixtures.minimal(states: states)).diagnostics.filter { $0.code == "literal_secret" }.map(\.path)
        #expect(paths == ["states.first.callback.input.apikey", "states.done.result.token"])
    }
}
