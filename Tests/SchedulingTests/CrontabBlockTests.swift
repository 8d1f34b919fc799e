// The crontab's managed blocks: install, update and remove touch only the block of that name —
// every other line (comments, other jobs, other vidact blocks, a last line without a newline) stays
// byte for byte — and a damaged block is an error, not a guess. Also through a stand-in `crontab`.
import Foundation
import Testing

@testable import Scheduling

struct CrontabBlockTests {
    static let others = "# m h dom mon dow command\nMAILTO=me@example.org\n17 * * * * /usr/bin/backup --all %H\n"

    func block(_ name: String, hour: Int = 2) -> String {
        var s = ScheduleTestSupport.schedule(workdir: "/data/work dir", name: name)
        s.time = ScheduleTestSupport.time(hour: hour, minute: 30)
        return CrontabBlock.block(for: s)
    }

    @Test func blockIsACronLineBetweenMarkers() {
        #expect(
            block("nightly") == """
                # BEGIN vidact nightly (managed by vidact schedule; do not edit)
                30 2 * * * '/data/work dir/schedule/nightly.sh'
                # END vidact nightly

                """)
    }

    @Test func installAppendsThenUpdatesInPlace() throws {
        let once = try CrontabBlock.install(block("nightly"), name: "nightly", in: Self.others)
        #expect(once == Self.others + block("nightly"))
        let withTail = once + "5 4 * * * /bin/other\n"
        let updated = try CrontabBlock.install(block("nightly", hour: 3), name: "nightly", in: withTail)
        #expect(updated == Self.others + block("nightly", hour: 3) + "5 4 * * * /bin/other\n")
        #expect(CrontabBlock.names(in: updated) == ["nightly"])
        // Installing the same block again changes nothing.
        #expect(try CrontabBlock.install(block("nightly", hour: 3), name: "nightly", in: updated) == updated)
    }

    @Test func removeTakesOnlyItsBlock() throws {
        var table = try CrontabBlock.install(block("a"), name: "a", in: Self.others)
        table = try CrontabBlock.install(block("ab"), name: "ab", in: table)
        table += "# trailing comment"
        let removed = try CrontabBlock.remove(name: "a", from: table)
        #expect(removed == Self.others + block("ab") + "# trailing comment")
        #expect(try CrontabBlock.remove(name: "ab", from: removed) == Self.others + "# trailing comment")
        #expect(try CrontabBlock.remove(name: "missing", from: Self.others) == Self.others)
    }

    @Test func lastLineWithoutNewlineGetsOneBeforeTheBlock() throws {
        let table = "0 1 * * * /bin/x"
        #expect(try CrontabBlock.install(block("n"), name: "n", in: table) == table + "\n" + block("n"))
    }

    @Test func unterminatedBlockIsAnError() {
        let table = Self.others + "# BEGIN vidact n (managed by vidact schedule; do not edit)\n30 2 * * * /x\n"
        #expect(throws: ScheduleError.self) { try CrontabBlock.install(block("n"), name: "n", in: table) }
        #expect(throws: ScheduleError.self) { try CrontabBlock.remove(name: "n", from: table) }
    }

    @Test func throughTheCrontabCommand() throws {
        let dir = try ScheduleTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fake = try ScheduleTestSupport.fakeCrontab(in: dir)
        let crontab = Crontab(command: ExternalCommand(fake.command))
        #expect(try crontab.read() == "")
        try Self.others.write(toFile: fake.table, atomically: true, encoding: .utf8)
        var schedule = ScheduleTestSupport.schedule(workdir: "/w", name: "n")
        try crontab.install(schedule)
        schedule.time = DailyTime(hour: 23, minute: 59)!
        try crontab.install(schedule)
        #expect(ScheduleTestSupport.read(fake.table) == Self.others + CrontabBlock.block(for: schedule))
        #expect(ScheduleTestSupport.read(fake.table).contains("59 23 * * * '/w/schedule/n.sh'\n"))
        #expect(try crontab.remove(name: "n"))
        #expect(ScheduleTestSupport.read(fake.table) == Self.others)
        #expect(try crontab.remove(name: "n") == false)
    }

    @Test func failingCrontabCommandIsAnError() throws {
        let crontab = Crontab(command: ExternalCommand("/bin/false"))
        #expect(throws: ScheduleError.self) { try crontab.read() }
    }
}
