import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

/// What an `ai:` rule of a `choice` state asks a language model, and how the answer is read.
///
/// The question goes out as an ordinary `llm` callback (so workers, `lazyrabbit run` and
/// `lazyrabbit dev` answer it like any other), asking for JSON of ``schema``: a yes or no, a
/// confidence from 0 to 100 and a short explanation. The model sees the question and its data —
/// the rule's `about` value, or what `when` rules see — as JSON, ``dataBytes`` at most in all;
/// nothing of it is rendered as a template.
enum ChoiceQuestion {
    /// The answer's shape.
    static let schema: JSONValue = [
        "type": "object",
        "properties": [
            "answer": ["type": "boolean"],
            "confidence": ["type": "integer"],
            "explanation": ["type": "string"],
        ],
        "required": ["answer", "confidence", "explanation"],
    ]
    /// How much of the data, as JSON, the model is shown.
    static let dataBytes = 16_384
    /// How long an answer may be, in tokens.
    static let answerTokens = 512
    /// How much of an explanation a transition keeps.
    static let explanationCharacters = 1_000

    /// What each part after the current one keeps of ``dataBytes`` at least.
    static let reservedBytes = 1024

    /// The `llm` callback asking `question` about the named parts of `data` (in order) in the
    /// state `state` of `workflow`. Earlier parts come first: each takes what it needs of
    /// ``dataBytes``, leaving ``reservedBytes`` for each part after it, so a large later part
    /// (the context) is cut rather than an earlier one (a map's item).
    static func callback(
        asking question: String, of model: String?, about data: [(name: String, value: JSONValue)], state: String, workflow: String
    ) -> Callback {
        var left = dataBytes
        var sections: [String] = []
        for (position, part) in data.enumerated() {
            let share = max(left - reservedBytes * (data.count - position - 1), reservedBytes)
            var json = part.value.encodedString()
            if json.utf8.count > share {
                json = json.prefix(utf8Bytes: share) + " … (cut at \(share) bytes)"
            }
            left = max(left - min(json.utf8.count, share), 0)
            sections.append("\(part.name) (JSON):\n\(json)")
        }
        return .llm(LLMCallback(
            prompt: "Question: \(question)\n\n" + sections.joined(separator: "\n\n"),
            system: """
                You decide a yes/no question for the state `\(state)` of the workflow `\(workflow)`, from the \
                data given only. Say how confident you are, from 0 (a guess) to 100 (certain), and explain \
                the answer in one or two sentences.
                """,
            model: model, temperature: 0, maxTokens: answerTokens, schema: schema))
    }

    /// A model's answer to a question.
    struct Answer: Equatable {
        var yes: Bool
        var confidence: Int
        var explanation: String
        /// The model and the tokens it took.
        var usage: LLMUsage?
        /// Reused from the cache, or shared with an identical question: nothing spent.
        var cached: Bool
    }

    /// The answer in a worker's report of the question's task, or why there is none: the task's
    /// failure (no model configured, a timeout, a refusal), or an answer not of ``schema``.
    static func answer(in outcome: TaskOutcome) -> Result<Answer, TaskFailure> {
        switch outcome {
        case .failed(let failure):
            return .failure(failure)
        case .succeeded(let result):
            guard let json = result["json"], let yes = json["answer"]?.boolValue, let confidence = json["confidence"]?.doubleValue,
                confidence.isFinite
            else {
                return .failure(TaskFailure(errorClass: "llm_bad_response", message: "the answer has no `answer` and `confidence`"))
            }
            return .success(Answer(
                yes: yes, confidence: Int(min(max(confidence, 0), 100).rounded()),
                explanation: String((json["explanation"]?.stringValue ?? "").prefix(explanationCharacters)),
                usage: LLMUsage(result: result), cached: result["cached"] == .bool(true)))
        }
    }
}
