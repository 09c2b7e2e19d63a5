import Foundation
import Testing
@testable import Strata

/// Property test: for random pairs of schemas A and B (drawn from small pools of names, so
/// they overlap and differ in every way the generator handles), the generated upgrade turns A
/// into B keeping the rows, and the downgrade turns it back. Seeded: a failure names its seed,
/// and `RandomSchemaPairTests.pair(seed:)` rebuilds the same pair.
@Suite struct RandomSchemaPairTests {
    /// Modest on purpose: the suite shares two cores. Raise it to hunt bugs with
    /// `STRATA_AUTOGENERATE_CASES=2000 swift test --filter RandomSchemaPairTests`.
    static let cases = ProcessInfo.processInfo.environment["STRATA_AUTOGENERATE_CASES"].flatMap(Int.init) ?? 40

    @Test(arguments: 0..<cases) func randomPairRoundTrips(seed: Int) throws {
        let pair = Self.pair(seed: UInt64(seed))
        try AutogenerateHarness.roundTrip(pair.a, pair.b, rows: pair.rows)
    }

    /// B a few decisions away from A: mostly ALTER TABLE, index and view changes, the odd rebuild.
    @Test(arguments: 0..<cases) func nearbyPairRoundTrips(seed: Int) throws {
        let pair = Self.pair(seed: UInt64(seed), mutationRate: 8)
        try AutogenerateHarness.roundTrip(pair.a, pair.b, rows: pair.rows)
    }

    struct Pair { var a: String; var b: String; var rows: String }

    /// `mutationRate`: the percentage of B's decisions taken differently from A's; 100 draws
    /// B independently.
    static func pair(seed: UInt64, mutationRate: Int = 100) -> Pair {
        let a = RandomSchema(Decisions(seed: seed, other: seed, rate: 0))
        let b = RandomSchema(Decisions(seed: seed, other: seed &+ 0x5151_5151, rate: mutationRate))
        return Pair(a: a.sql, b: b.sql, rows: a.rows)
    }
}

/// Random decisions keyed by name ("t1.b.type"), so a second schema can take most of the same
/// decisions and a few different ones: each key is hashed with the seed (SplitMix64, the same
/// on every platform), and with probability `rate`% with the other seed instead.
struct Decisions {
    let seed: UInt64, other: UInt64, rate: Int

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func hash(_ seed: UInt64, _ key: String) -> UInt64 {
        key.utf8.reduce(mix(seed)) { mix($0 ^ UInt64($1)) }
    }

    func int(_ key: String, below bound: Int) -> Int {
        let useOther = Int(Self.hash(other, "mutate:" + key) % 100) < rate
        return Int(Self.hash(useOther ? other : seed, key) % UInt64(bound))
    }

    func chance(_ key: String, _ percent: Int) -> Bool { int(key, below: 100) < percent }

    func pick<T>(_ key: String, _ choices: [T]) -> T { choices[int(key, below: choices.count)] }
}

/// A random schema: tables t0…t3 with `id INTEGER PRIMARY KEY` and columns from a pool (random
/// types, NOT NULL with a default, DEFAULT, COLLATE, CHECK, foreign keys to earlier tables),
/// indexes (DESC, partial, expression), views and triggers that name other tables; plus rows.
///
/// Constraints are chosen so that any A's rows are valid in any B: NOT NULL always comes with a
/// DEFAULT (the rebuild fills NULLs with it), foreign-key columns hold NULL, CHECKs are true
/// for every value, and no UNIQUE index is built over data.
struct RandomSchema {
    var sql = ""
    var rows = ""

    init(_ random: Decisions) {
        let types = ["INTEGER", "TEXT", "REAL", "BLOB", "NUMERIC", "VARCHAR(20)", "BIGINT", ""]
        let pool = ["a", "b", "c", "d", "e"]
        var tables: [(name: String, columns: [String])] = []
        var notNull = Set<String>()
        for number in 0..<4 where random.chance("t\(number)", 75) {
            let name = "t\(number)"
            var definitions = ["id INTEGER PRIMARY KEY"]
            var columns: [String] = []
            for column in pool where random.chance("\(name).\(column)", 55) {
                var definition = column
                let type = random.pick("\(name).\(column).type", types)
                if !type.isEmpty { definition += " " + type }
                if random.chance("\(name).\(column).notnull", 20) {
                    definition += " NOT NULL DEFAULT 0"
                    notNull.insert("\(name).\(column)")
                } else if random.chance("\(name).\(column).default", 20) { definition += " DEFAULT 1" }
                if type.contains("CHAR") || type == "TEXT", random.chance("\(name).\(column).collate", 30) { definition += " COLLATE NOCASE" }
                if random.chance("\(name).\(column).check", 10) { definition += " CHECK (\(column) IS NOT NULL OR 1)" }
                definitions.append(definition)
                columns.append(column)
            }
            if !tables.isEmpty, random.chance("\(name).fk", 50) {
                let parent = random.pick("\(name).fk.parent", tables)
                let action = random.chance("\(name).fk.action", 50) ? " ON DELETE CASCADE" : ""
                definitions.append("ref_\(parent.name) INTEGER REFERENCES \(parent.name) (id)\(action)")
            }
            if random.chance("\(name).check", 15) { definitions.append("CHECK (id > 0)") }
            sql += "CREATE TABLE \(name) (\(definitions.joined(separator: ", ")));\n"
            tables.append((name, columns))
        }
        for table in tables {
            for (number, column) in table.columns.enumerated() where random.chance("\(table.name).ix\(number)", 30) {
                let direction = random.chance("\(table.name).ix\(number).desc", 50) ? " DESC" : ""
                let key = random.chance("\(table.name).ix\(number).expr", 20) ? "abs(\(column))" : column + direction
                let partial = random.chance("\(table.name).ix\(number).partial", 30) ? " WHERE \(column) IS NOT NULL" : ""
                sql += "CREATE INDEX ix_\(table.name)_\(number) ON \(table.name) (\(key))\(partial);\n"
            }
            if random.chance("\(table.name).view", 30) {
                sql += "CREATE VIEW v_\(table.name) AS SELECT id FROM \(table.name) WHERE id > 0;\n"
            }
            if random.chance("\(table.name).trigger", 30) {
                let other = random.pick("\(table.name).trigger.other", tables)
                sql += "CREATE TRIGGER trg_\(table.name) AFTER DELETE ON \(table.name) BEGIN UPDATE \(other.name) SET id = id WHERE 0; END;\n"
            }
        }
        for table in tables {
            for id in 1...3 {
                let values = table.columns.map { column in
                    let choices = ["NULL", "7", "'12'", "'x;y'", "2.5", "x'00ff'"]
                    return random.pick("\(table.name).\(id).\(column).value", notNull.contains("\(table.name).\(column)") ? Array(choices.dropFirst()) : choices)
                }
                let columns = (["id"] + table.columns).joined(separator: ", ")
                rows += "INSERT INTO \(table.name) (\(columns)) VALUES (\(([String(id)] + values).joined(separator: ", ")));\n"
            }
        }
    }
}
