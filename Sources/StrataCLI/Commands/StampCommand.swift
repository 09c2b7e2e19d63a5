import ArgumentParser
import Strata

struct StampCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stamp", abstract: "Set the database's revision without running any migration.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "One or more targets: revisions, heads, base, label@head, ...")
    var targets: [String]

    @Flag(help: "Replace whatever the version table holds instead of moving from it.")
    var purge = false

    func validate() throws {
        guard !targets.isEmpty else { throw ValidationError("stamp needs at least one TARGET (e.g. heads, base, or a revision).") }
    }

    func run() throws {
        let migrations = try options.loadMigrations()
        let migrator = Migrator(store: try options.openWriter(), migrations: migrations)
        let before = purge ? [] : try migrator.currentHeads()
        let heads = try migrator.stamp(targets, purge: purge)
        try options.output.emit(["heads": heads, "previous": before]) {
            "Stamped \(HeadsDescription(before)) -> \(HeadsDescription(heads)); no migration was run."
        }
    }
}
