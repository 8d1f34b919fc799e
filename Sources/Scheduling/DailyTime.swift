// A time of day, `HH:MM` (00:00–23:59), at which a schedule fires, and the next local date at which
// it does — what `vidact schedule list` shows as the next run (before any random delay).
import Foundation

/// A wall-clock time of day in the local time zone.
public struct DailyTime: Codable, Sendable, Equatable, CustomStringConvertible {
    public let hour: Int
    public let minute: Int

    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    /// Parses `HH:MM` (two digits each, 00:00–23:59); nil otherwise.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
            let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    /// `HH:MM`.
    public var description: String { String(format: "%02d:%02d", hour, minute) }

    /// The first moment strictly after `date` at which the local clock shows this time.
    public func next(after date: Date, calendar: Calendar = .current) -> Date {
        let components = DateComponents(hour: hour, minute: minute, second: 0)
        return calendar.nextDate(after: date, matching: components, matchingPolicy: .nextTime) ?? date
    }
}
