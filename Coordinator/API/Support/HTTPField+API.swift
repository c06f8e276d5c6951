import HTTPTypes

extension HTTPField.Name {
    /// `Idempotency-Key`: repeating a start with the same key answers the first execution.
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}
