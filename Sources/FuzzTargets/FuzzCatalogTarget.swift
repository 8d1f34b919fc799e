// Fuzz target `catalog`: the catalog opened on arbitrary bytes (SQLite's own parser, then vidact's
// migrations, integrity check and reads), and set aside when damaged, as `catalog rebuild` does.
import Catalog
import Foundation

enum FuzzCatalogTarget {
    @Sendable static func run(_ bytes: [UInt8]) {
        let names = ["catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm", "catalog.sqlite.lock"]
        FuzzScratch.remove(names)
        let path = FuzzScratch.file("catalog.sqlite", bytes)
        defer { FuzzScratch.remove(names) }
        do {
            let catalog = try Catalog(path: path, options: CatalogOptions(busyTimeoutSeconds: 1))
            _ = try? catalog.integrityCheck()
            _ = try? catalog.runs()
            _ = try? catalog.featureEntries()
            _ = try? catalog.videos()
            _ = try? catalog.models()
        } catch {}
        if let aside = try? Catalog.setAsideIfDamaged(path: path) {
            FuzzScratch.remove(
                ["", "-wal", "-shm", "-journal"].map { ((aside.movedTo as NSString).lastPathComponent) + $0 })
        }
    }
}
