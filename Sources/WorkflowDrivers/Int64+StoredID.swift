extension Int64 {
    /// The number a stored object's id names, when `id` is written exactly as the stores write
    /// their numeric ids (`42`; not `+42`, `042`): one object answers to one id, so what was
    /// started under a workflow id is found again under it.
    public init?(storedID id: String) {
        guard let number = Int64(id), String(number) == id else { return nil }
        self = number
    }
}
