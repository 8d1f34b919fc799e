// The classes of the synthetic activity dataset (`vidact dataset synth`). They come in pairs
// whose members differ only in the order of their frames: the second class of a pair is the first
// one's frame list reversed, so a model that ignores order is at chance within a pair.

/// One class of the synthetic dataset; the raw value is the class name on disk.
public enum SyntheticActivity: String, CaseIterable, Sendable, Hashable {
    case grow
    case shrink
    case fadeIn = "fade_in"
    case fadeOut = "fade_out"
    case redToBlue = "red_to_blue"
    case blueToRed = "blue_to_red"
    case rotateClockwise = "rotate_cw"
    case rotateAnticlockwise = "rotate_ccw"
    case moveRight = "move_right"
    case moveLeft = "move_left"

    /// The class name as written in folders, split files and CSVs.
    public var name: String { rawValue }

    /// The pairs, forward class first, in class order.
    public static var pairs: [(forward: SyntheticActivity, reversed: SyntheticActivity)] {
        stride(from: 0, to: allCases.count, by: 2).map { (allCases[$0], allCases[$0 + 1]) }
    }

    /// Position of the class in `allCases` (its class number is this + 1).
    public var position: Int {
        guard let index = Self.allCases.firstIndex(of: self) else { preconditionFailure("allCases lacks \(self)") }
        return index
    }

    /// Position of the class's pair in `pairs`.
    public var pairIndex: Int { position / 2 }

    /// Whether the class is its pair's forward rendering played backwards.
    public var isReversed: Bool { position % 2 == 1 }

    /// The class whose frames are rendered; this class shows them reversed when `isReversed`.
    public var forward: SyntheticActivity { Self.pairs[pairIndex].forward }

    /// The other class of the pair.
    public var partner: SyntheticActivity {
        isReversed ? Self.pairs[pairIndex].forward : Self.pairs[pairIndex].reversed
    }

    /// What a clip of this class shows, for the dataset's README.
    public var summary: String {
        switch self {
        case .grow: return "a textured object grows from small to filling most of the frame"
        case .shrink: return "a textured object shrinks from filling most of the frame to small (grow reversed)"
        case .fadeIn: return "a textured object fades in over the background (opacity 0 → 1)"
        case .fadeOut: return "a textured object fades out to the background (fade_in reversed)"
        case .redToBlue: return "a textured object changes colour from red to blue"
        case .blueToRed: return "a textured object changes colour from blue to red (red_to_blue reversed)"
        case .rotateClockwise:
            return "a two-tone textured object (one half near-white) turns clockwise by 120–200°, the white half "
                + "starting on top"
        case .rotateAnticlockwise: return "a two-tone textured object turns anticlockwise (rotate_cw reversed)"
        case .moveRight:
            return "a textured object crosses from left to right over a scrolling textured background"
        case .moveLeft: return "a textured object crosses from right to left (move_right reversed)"
        }
    }
}
