/// The security scan: HTTP callbacks must not reach refused addresses, and credentials must be
/// referenced as `${secret.NAME}`, never written into the document.
struct SecurityChecker {
    let context: ValidationContext

    /// Header names whose values are credentials.
    static let credentialHeaders: Set<String> = [
        "authorization", "proxy-authorization", "x-api-key", "api-key", "apikey", "x-auth-token", "x-access-token", "cookie",
    ]

    /// Object keys whose values are credentials.
    static let credentialKeys: Set<String> = [
        "password", "passwd", "secret", "api_key", "apikey", "token", "access_token", "client_secret",
    ]

    private static let secretHint = "use ${secret.NAME} and provide the value as a secret"

    func check(_ state: StateDefinition, path: String) {
        if case .task(.http(let http)) = state.kind { checkURL(http.url, state: state.name, path: FieldPath.join(path, "callback.url")) }
        if case .task(.llm(let llm)) = state.kind {
            // The prompt goes to a third party and its answer into the context: no secret belongs there.
            for (field, text) in [("prompt", llm.prompt), ("system", llm.system ?? "")] where text.contains("${secret.") {
                context.report(
                    "secret_misuse", "an `llm` callback cannot use secrets: its prompt goes to the model and the answer into the context",
                    path: FieldPath.join(path, "callback.\(field)"), hint: "pass the model only what it may see")
            }
            checkModel(llm.model, path: FieldPath.join(path, "callback.model"))
            if context.options.checksRulesForStoring, llm.prompt.allSatisfy(\.isWhitespace) {
                context.report("invalid_value", "`prompt` is empty", path: FieldPath.join(path, "callback.prompt"), hint: "say what the model should do")
            }
        }
        if case .choice(let choice) = state.kind {
            for (index, rule) in choice.choices.enumerated() {
                if let question = rule.ai, let pattern = Self.credentialPattern(in: question) {
                    context.report("literal_secret", "this looks like a literal \(pattern)", path: FieldPath.join(path, "choices[\(index)].ai"),
                                   hint: "an `ai` question goes to the model as it is written")
                }
                checkModel(rule.model, path: FieldPath.join(path, "choices[\(index)].model"))
            }
        }
        for field in TextField.all(in: state, path: path) {
            if let problem = Self.literalSecret(in: field) {
                context.report("literal_secret", problem, path: field.path, hint: Self.secretHint)
            }
        }
    }

    /// A model a workflow names must be a name (1 to 200 bytes, no control characters, not only
    /// spaces) and one the operator allows (`LAZYRABBIT_LLM_MODELS`).
    private func checkModel(_ model: String?, path: String) {
        guard let model else { return }
        if context.options.checksRulesForStoring,
            model.allSatisfy(\.isWhitespace) || model.utf8.count > 200 || model.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            context.report("invalid_value", "`model` must be a model's name, got \(model.prefix(100).debugDescription)", path: path,
                           hint: "leave `model` out for the operator's default model")
            return
        }
        guard let allowed = context.options.allowedModels, !allowed.contains(model) else { return }
        context.report(
            "model_not_allowed", "the model `\(model)` is not allowed here", path: path,
            hint: "use one of \(allowed.sorted().map { "`\($0)`" }.joined(separator: ", ")), or leave `model` out for the default")
    }

    private func checkURL(_ url: String, state: String, path: String) {
        if URLParts(url) == nil, !url.hasPrefix("${") {
            context.report("invalid_url", "`\(url)` is not an absolute URL", path: path, hint: "write it as `https://host/path`")
        } else if let reason = context.options.addressPolicy.violation(forURL: url) {
            context.report("blocked_address", "the URL of state `\(state)` is refused: \(reason)", path: path,
                           hint: "if this destination is intended, allow-list it: `--allow-host HOST` or LAZYRABBIT_ALLOWED_HOSTS=HOST,...")
        }
    }

    /// Why `field` looks like a credential written in clear, or `nil`.
    static func literalSecret(in field: TextField) -> String? {
        if let pattern = credentialPattern(in: field.text) { return "this looks like a literal \(pattern)" }
        guard let key = field.key?.lowercased(), !field.text.contains("${secret.") else { return nil }
        if field.isHeader, credentialHeaders.contains(key) { return "the `\(field.key ?? key)` header holds a literal credential" }
        if !field.isHeader, credentialKeys.contains(key), !field.text.isEmpty, !field.text.contains("${") {
            return "`\(field.key ?? key)` holds a literal secret"
        }
        return nil
    }

    /// The kind of well-known credential found in `text`, or `nil`.
    static func credentialPattern(in text: String) -> String? {
        let patterns: [(String, Regex<Substring>)] = [
            ("API key (sk-...)", #/sk-[A-Za-z0-9_\-]{20,}/#),
            ("AWS access key", #/AKIA[0-9A-Z]{16}/#),
            ("GitHub token", #/ghp_[A-Za-z0-9]{36}/#),
            ("Slack token", #/xox[abp]-[A-Za-z0-9\-]{10,}/#),
            ("private key", #/-----BEGIN [A-Z ]*PRIVATE KEY-----/#),
        ]
        return patterns.first { text.contains($0.1) }?.0
    }
}
