import Intelligence
import Testing

@Suite struct LLMPricesTests {
    @Test func pricesAreReadPerMillionTokens() throws {
        let prices = try LLMPrices.parse(" gpt-4o=2.50/10 , gpt-4o-mini = 0.15 / 0.60,,")
        #expect(prices.byModel == ["gpt-4o": .init(prompt: 2.5, completion: 10), "gpt-4o-mini": .init(prompt: 0.15, completion: 0.6)])
        #expect(prices.cost(model: "gpt-4o", promptTokens: 1_000_000, completionTokens: 500_000) == 7.5)
        #expect(try LLMPrices.fromEnvironment([:]) == LLMPrices())
    }

    /// Providers answer with dated names: the longest listed name a model starts with prices it.
    @Test func theLongestListedPrefixPricesAModel() throws {
        let prices = try LLMPrices.parse("gpt-4o=2.50/10,gpt-4o-mini=0.15/0.60")
        #expect(prices.price(of: "gpt-4o-mini-2024-07-18") == .init(prompt: 0.15, completion: 0.6))
        #expect(prices.price(of: "gpt-4o-2024-08-06") == .init(prompt: 2.5, completion: 10))
        #expect(prices.cost(model: "llama3.1", promptTokens: 10, completionTokens: 10) == nil)
    }

    @Test(arguments: ["gpt-4o", "gpt-4o=1", "=1/2", "gpt-4o=a/2", "gpt-4o=-1/2", "gpt-4o=1/inf", "gpt-4o=0x10/1", "gpt-4o=1e308/1", "gpt-4o=-0/1"])
    func anUnreadableEntryIsAnError(_ text: String) {
        #expect {
            try LLMPrices.parse(text)
        } throws: { error in
            (error as? LLMError).map { $0.kind == .misconfigured && $0.message.contains(text.debugDescription) } == true
        }
    }

    @Test func aModelPricedTwiceIsAnError() {
        #expect(throws: LLMError(.misconfigured, #"LAZYRABBIT_LLM_PRICES: "m" has two prices"#)) { try LLMPrices.parse("m=1/2,m=3/4") }
    }
}
