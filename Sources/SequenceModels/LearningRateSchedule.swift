// Learning-rate schedules in optimizer steps: an optional linear warm-up, then constant, step decay
// or cosine decay (as `torch.optim.lr_scheduler.StepLR` and `CosineAnnealingLR` after
// `LinearLR`-style warm-up). With W warm-up steps, S total steps, base rate r:
//   step s < W:  r·(s + 1)/W
//   constant:    r
//   step:        r·γ^⌊(s − W)/every⌋
//   cosine:      r_min + (r − r_min)·(1 + cos(π·(s − W)/(S − W)))/2,  r_min = r·minimumFraction

import Foundation

/// How the learning rate changes after warm-up.
public enum LearningRateSchedule: Codable, Equatable, Sendable {
    case constant
    /// Multiply by `gamma` every `every` steps.
    case step(every: Int, gamma: Float)
    /// Cosine decay to `minimumFraction` of the base rate at the last step.
    case cosine(minimumFraction: Float)

    /// The rate at optimizer step `step` (from 0) of `totalSteps`, with `warmupSteps` of warm-up.
    public func rate(base: Float, step: Int, totalSteps: Int, warmupSteps: Int) -> Float {
        if step < warmupSteps { return base * Float(step + 1) / Float(warmupSteps) }
        let after = step - warmupSteps
        switch self {
        case .constant:
            return base
        case .step(let every, let gamma):
            return base * pow(gamma, Float(after / max(every, 1)))
        case .cosine(let minimumFraction):
            let span = max(totalSteps - warmupSteps, 1)
            let progress = min(Double(after) / Double(span), 1)
            let minimum = Double(base * minimumFraction)
            return Float(minimum + (Double(base) - minimum) * (1 + cos(Double.pi * progress)) / 2)
        }
    }
}
