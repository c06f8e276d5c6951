public import Foundation

/// What language models cost, per million tokens, from `LAZYRABBIT_LLM_PRICES`
/// (`gpt-4o-mini=0.15/0.60,gpt-4o=2.50/10`: prompt / completion, in the operator's currency), for
/// the cost beside the token counts (`lazyrabbit_llm_cost_total`, `lazyrabbit run`'s summary).
/// A model takes the price of the longest listed name it starts with, so `gpt-4o-mini` prices the
/// `gpt-4o-mini-2024-07-18` a provider answers with; a model with no price costs nothing known.
///
/// ```swift
/// let prices = try LLMPrices.parse("gpt-4o-mini=0.15/0.60")
/// prices.cost(model: "gpt-4o-mini-2024-07-18", promptTokens: 1_000, completionTokens: 200)  // 0.00027
/// ```
public struct LLMPrices: Sendable, Equatable {
    /// The price of a million prompt tokens and of a million completion tokens.
    public struct Price: Sendable, Equatable {
        public var prompt: Double
        public var completion: Double

        public init(prompt: Double, completion: Double) {
            self.prompt = prompt
            self.completion = completion
        }
    }

    /// Prices by model name (or name prefix).
    public var byModel: [String: Price]

    public init(_ byModel: [String: Price] = [:]) {
        self.byModel = byModel
    }

    /// `LAZYRABBIT_LLM_PRICES`; no prices when it is unset or empty.
    ///
    /// - Throws: ``LLMError`` (`llm_misconfigured`) naming the entry that cannot be read.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(LLMError) -> LLMPrices {
        try parse(environment["LAZYRABBIT_LLM_PRICES"] ?? "")
    }

    /// The highest price read, per million tokens.
    public static let maxPrice = 1_000_000.0

    /// Prices written as `model=prompt/completion`, comma-separated; each a decimal number from 0
    /// to ``maxPrice``, each model once.
    ///
    /// - Throws: ``LLMError`` (`llm_misconfigured`) naming the entry that cannot be read.
    public static func parse(_ text: String) throws(LLMError) -> LLMPrices {
        var prices: [String: Price] = [:]
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !entry.isEmpty {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let amounts = parts.count == 2 ? parts[1].split(separator: "/").map { amount($0.trimmingCharacters(in: .whitespaces)) } : []
            guard parts.count == 2, !parts[0].isEmpty, amounts.count == 2, let prompt = amounts[0], let completion = amounts[1] else {
                throw LLMError(
                    .misconfigured, "LAZYRABBIT_LLM_PRICES: \(entry.debugDescription) is not `model=prompt/completion` "
                        + "(decimal prices per million tokens up to \(Int(maxPrice)), e.g. `gpt-4o-mini=0.15/0.60`)")
            }
            guard prices.updateValue(Price(prompt: prompt, completion: completion), forKey: parts[0]) == nil else {
                throw LLMError(.misconfigured, "LAZYRABBIT_LLM_PRICES: \(parts[0].debugDescription) has two prices")
            }
        }
        return LLMPrices(prices)
    }

    /// A price written as decimal digits with an optional fraction and exponent (no sign, no hex,
    /// no `inf` or `nan`), from 0 to ``maxPrice``.
    private static func amount(_ text: String) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "e" || $0 == "E") }),
            let value = Double(text), (0...maxPrice).contains(value)
        else { return nil }
        return value + 0  // -0 cannot be written here, and +0 prints as 0
    }

    /// The price of `model`: that of the longest listed name it starts with, or `nil`.
    public func price(of model: String) -> Price? {
        byModel.filter { model.hasPrefix($0.key) }.max { $0.key.count < $1.key.count }?.value
    }

    /// What `promptTokens` and `completionTokens` of `model` cost, or `nil` when it has no price.
    public func cost(model: String, promptTokens: Int, completionTokens: Int) -> Double? {
        price(of: model).map { ($0.prompt * Double(promptTokens) + $0.completion * Double(completionTokens)) / 1_000_000 }
    }
}
