// The look of one pair of caption clips and the rendering of an event list. A scene is drawn from
// a seeded RNG (texture, sizes, positions, turn, background, scroll); both clips of a pair render
// the same scene with their own event order. The object's state (radius, centre, angle, opacity,
// colour) starts from what the whole event list needs (small if it grows, large if it shrinks,
// spins or rocks, on the right if it moves left, invisible if it fades in first, the two-tone
// marker on top if it spins or rocks) and carries over: a one-way event i moves it from state i to
// state i + 1 over its own `framesPerEvent` frames, eased (smoothstep), so the last frame of an
// event and the first of the next show the same object: a one-frame hold at each boundary. A
// round-trip event goes from its state to its peak (`peak`) over the first third of its frames,
// holds the peak over the middle third and comes back on the same eased path, the frames of its
// second half those of its first in reverse order.
//
// The background scrolls out and back (its offset at frame k is that of frame L − 1 − k of an
// L-frame clip), so that a clip of round-trip events "B then A" is exactly the clip "A then B"
// played backwards: the same pictures, in reverse order.
//
// Sizes (fractions of the short side): small 0.11–0.14, medium 0.24–0.28, large 0.34–0.38 (grows
// and shrinks change the area about 8x; a pulse goes from medium to large and back). Moves cross
// 40–50 % of the width; sways go from the middle to the left or right position and back. Spins
// turn 85–105°, the near-white half starting on top (±15°), so it ends on the right (clockwise) or
// on the left (anticlockwise), a difference the start and end pictures show; rocks turn as far and
// back. A spinning or rocking object is two-tone for the whole clip; others are one colour.

import Foundation
import TensorCore

/// Everything that varies between caption pairs, and their rendering.
public struct CaptionScene: Sendable {
    public var shape: ShapeKind
    /// The starting (described) colour.
    public var colour: CaptionColour
    var texture: Texture
    var textureFrequency: Double
    var textureAngle: Double
    var textureContrast: Double
    var radii: (small: Double, medium: Double, large: Double)
    /// Centre x (fraction of the width) on the left, in the middle, on the right; y (of the height).
    var xs: (left: Double, centre: Double, right: Double)
    var y: Double
    var startAngle: Double
    /// Radians a spin turns (positive).
    var turn: Double
    var background: SceneBackground

    /// The object's state at an event boundary.
    struct State: Equatable {
        var radius: Double
        var x: Double
        var angle: Double
        var alpha: Double
        var colour: RGBColor
    }

    /// A random scene for an object of `shape` and starting `colour`.
    public init(shape: ShapeKind, colour: CaptionColour, rng: inout SeededRNG) {
        self.shape = shape
        self.colour = colour
        texture = Texture.allCases[Int(rng.next() % UInt64(Texture.allCases.count))]
        textureFrequency = 1.5 + 2 * rng.uniformDouble()
        textureAngle = Double.pi * rng.uniformDouble()
        textureContrast = 0.15 + 0.15 * rng.uniformDouble()
        radii = (
            0.11 + 0.03 * rng.uniformDouble(), 0.24 + 0.04 * rng.uniformDouble(), 0.34 + 0.04 * rng.uniformDouble()
        )
        xs = (0.25 + 0.05 * rng.uniformDouble(), 0.45 + 0.1 * rng.uniformDouble(), 0.7 + 0.05 * rng.uniformDouble())
        y = 0.42 + 0.16 * rng.uniformDouble()
        startAngle = -Double.pi / 2 + (30 * rng.uniformDouble() - 15) * Double.pi / 180
        turn = (85 + 20 * rng.uniformDouble()) * Double.pi / 180
        background = SceneBackground(rng: &rng)
    }

    /// The state before the first event of `events`.
    func start(_ events: [CaptionEvent]) -> State {
        let spins = events.contains { $0.channel == .turn }
        let radius =
            events.contains(.grows)
            ? radii.small : events.contains(.shrinks) || spins ? radii.large : radii.medium
        let x = events.contains(.movesLeft) ? xs.right : events.contains(.movesRight) ? xs.left : xs.centre
        return State(
            radius: radius, x: x, angle: startAngle, alpha: events.first == .fadesIn ? 0 : 1, colour: colour.rgb)
    }

    /// The state after `event` from `state`.
    func after(_ event: CaptionEvent, _ state: State) -> State {
        var next = state
        switch event {
        case .grows: next.radius = radii.large
        case .shrinks: next.radius = radii.small
        case .fadesIn: next.alpha = 1
        case .fadesOut: next.alpha = 0
        case .turns(let target): next.colour = target.rgb
        case .spinsClockwise: next.angle += turn
        case .spinsAnticlockwise: next.angle -= turn
        case .movesLeft: next.x = xs.left
        case .movesRight: next.x = xs.right
        case .pulses, .blinks, .swaysLeft, .swaysRight, .rocksClockwise, .rocksAnticlockwise, .flashes: break
        }
        return next
    }

    /// The furthest state a round trip reaches from `state` (and `state` for a one-way event).
    func peak(_ event: CaptionEvent, _ state: State) -> State {
        var next = state
        switch event {
        case .pulses: next.radius = radii.large
        case .blinks: next.alpha = 0
        case .swaysLeft: next.x = xs.left
        case .swaysRight: next.x = xs.right
        case .rocksClockwise: next.angle += turn
        case .rocksAnticlockwise: next.angle -= turn
        case .flashes(let target): next.colour = target.rgb
        default: break
        }
        return next
    }

    /// The states at the event boundaries: `events.count + 1` of them.
    func states(_ events: [CaptionEvent]) -> [State] {
        var states = [start(events)]
        for event in events { states.append(after(event, states[states.count - 1])) }
        return states
    }

    /// The `events.count * framesPerEvent` frames of `events` in order, packed RGB24.
    public func frames(_ events: [CaptionEvent], framesPerEvent: Int, width: Int, height: Int) -> [[UInt8]] {
        precondition(framesPerEvent >= 1, "CaptionScene.frames: \(framesPerEvent) frames per event")
        let states = states(events)
        let twoTone = events.contains { $0.channel == .turn }
        let count = events.count * framesPerEvent
        return (0..<count).map { frame in
            let (event, k) = frame.quotientAndRemainder(dividingBy: framesPerEvent)
            let roundTrip = events[event].isRoundTrip
            // A round trip goes out over the first third, holds its peak over the middle third (so
            // that sparse sampling still sees it) and comes back over the last; computed from the
            // integer distance to the nearer end, so frames k and F − 1 − k are bit-identical.
            let steps = roundTrip ? min(k, framesPerEvent - 1 - k) * 3 : k
            let linear = framesPerEvent > 1 ? min(1, Double(steps) / Double(framesPerEvent - 1)) : 1
            let p = linear * linear * (3 - 2 * linear)
            let a = states[event]
            let b = roundTrip ? peak(events[event], a) : states[event + 1]
            let state = State(
                radius: a.radius + (b.radius - a.radius) * p, x: a.x + (b.x - a.x) * p,
                angle: a.angle + (b.angle - a.angle) * p, alpha: a.alpha + (b.alpha - a.alpha) * p,
                colour: a.colour.mixed(with: b.colour, p))
            return render(state, twoTone: twoTone, frame: min(frame, count - 1 - frame), width: width, height: height)
        }
    }

    /// One picture of the object in `state`; `frame` positions the scrolling background (frames
    /// since the nearer end of the clip).
    func render(_ state: State, twoTone: Bool, frame: Int, width: Int, height: Int) -> [UInt8] {
        var canvas = RGBCanvas(width: width, height: height)
        background.draw(&canvas, frame: frame)
        let radius = Double(min(width, height)) * state.radius
        let marker = state.colour.mixed(with: RGBColor(red: 1, green: 1, blue: 1), 0.9)
        let (tc, ts) = (cos(textureAngle), sin(textureAngle))
        canvas.draw(
            shape, cx: Double(width) * state.x, cy: Double(height) * y, radius: radius, angle: state.angle,
            alpha: state.alpha
        ) { u, v in
            let tone = twoTone && u > 0 ? marker : state.colour
            let along = (tc * u + ts * v) * textureFrequency
            let across = (-ts * u + tc * v) * textureFrequency
            return tone.scaled(texture.factor(u: along, v: across, contrast: textureContrast))
        }
        return canvas.pixels
    }
}

/// A textured, muted two-colour gradient that scrolls a little every frame.
struct SceneBackground: Sendable {
    var top: RGBColor
    var bottom: RGBColor
    var texture: Texture
    var period: Double
    var angle: Double
    var contrast: Double
    /// Pixels per frame.
    var scroll: (x: Double, y: Double)

    /// Low saturation and middle values, so that the palette colours stand out on any of them.
    init(rng: inout SeededRNG) {
        let hue = rng.uniformDouble()
        top = RGBColor(
            hue: hue, saturation: 0.1 + 0.25 * rng.uniformDouble(), value: 0.3 + 0.45 * rng.uniformDouble())
        bottom = RGBColor(
            hue: hue + 0.2 * (rng.uniformDouble() - 0.5), saturation: 0.1 + 0.25 * rng.uniformDouble(),
            value: 0.3 + 0.45 * rng.uniformDouble())
        texture = Texture.allCases[Int(rng.next() % UInt64(Texture.allCases.count))]
        period = 8 + 16 * rng.uniformDouble()
        angle = Double.pi * rng.uniformDouble()
        contrast = 0.08 + 0.12 * rng.uniformDouble()
        let speed = 0.3 + 0.9 * rng.uniformDouble()
        let direction = 2 * Double.pi * rng.uniformDouble()
        scroll = (speed * cos(direction), speed * sin(direction))
    }

    func draw(_ canvas: inout RGBCanvas, frame: Int) {
        let (w, h) = (Double(canvas.width), Double(canvas.height))
        let (bc, bs) = (cos(angle), sin(angle))
        let (ox, oy) = (scroll.x * Double(frame), scroll.y * Double(frame))
        canvas.fill { x, y in
            let shade = top.mixed(with: bottom, y / h * 0.7 + x / w * 0.3)
            let (sx, sy) = (x - ox, y - oy)
            let along = (bc * sx + bs * sy) / period
            let across = (-bs * sx + bc * sy) / period
            return shade.scaled(texture.factor(u: along, v: across, contrast: contrast))
        }
    }
}
