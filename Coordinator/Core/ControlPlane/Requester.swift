/// Who asks the control plane for something: a user, and whether they may see everyone's
/// workflows and executions (admins) or only their own.
public struct Requester: Sendable, Equatable {
    /// The user's name (a JWT's `sub`, or an API token's owner).
    public var user: String
    /// `true` for admins: other users' objects are visible and actionable.
    public var seesEveryone: Bool

    /// A requester.
    public init(user: String, seesEveryone: Bool = false) {
        self.user = user
        self.seesEveryone = seesEveryone
    }

    /// Whether an object owned by `owner` is visible to this requester.
    public func canSee(ownedBy owner: String?) -> Bool {
        seesEveryone || owner == user
    }
}
