/// The tool version, recorded in events and printed by `strata --version`.
public enum StrataVersion {
    public static let current = "0.1.0"
}
