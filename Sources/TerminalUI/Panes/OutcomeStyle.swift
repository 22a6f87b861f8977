import RoleEditor

/// The color an apply outcome is shown in, the same in the list and the review.
enum OutcomeStyle {
    static func of(_ outcome: ApplyOutcome) -> Style {
        switch outcome {
        case .applied: Style(.positive)
        case .conflict: Style(.warning, [.bold])
        case .refused, .failed: Style(.negative, [.bold])
        case .notSent: Style(.warning)
        }
    }
}
