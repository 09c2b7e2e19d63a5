/// The hash chain's canonical form, version 1 (Docs/formats.md, "Event hash"). Frozen: a
/// change is a new version, and this one keeps verifying the logs already written.
///
/// The input is the ASCII line `strata-event-v1`, then each field in a fixed order as
/// `<UTF-8 byte length>:<bytes>\n` (a null field as `-\n`). Length prefixes make the encoding
/// unambiguous whatever the fields contain.
public enum EventHash {
    public static let version = 1
    public static let genesis = String(repeating: "0", count: 64)

    public static func hash(seq: Int64, at: String, kind: String, revision: String?, status: String,
                            heads: String, actor: String, detail: String, prevHash: String) -> String {
        var input: [UInt8] = []
        input.reserveCapacity(64 + at.utf8.count + heads.utf8.count + actor.utf8.count + detail.utf8.count + 160)
        input += "strata-event-v1\n".utf8
        // Written field by field, numbers digit by digit: no array of fields and no String
        // per length (an event is hashed on every append).
        func decimal(_ value: Int) {
            if value >= 10 { decimal(value / 10) }
            input.append(UInt8(ascii: "0") + UInt8(value % 10))
        }
        func field(_ text: String?) {
            guard let text else {
                input += "-\n".utf8
                return
            }
            decimal(text.utf8.count)
            input.append(UInt8(ascii: ":"))
            input += text.utf8
            input.append(UInt8(ascii: "\n"))
        }
        field(String(seq)); field(at); field(kind); field(revision); field(status)
        field(heads); field(actor); field(detail); field(prevHash)
        return SHA256Hex.of(input)
    }

    public static func hash(of event: Event) -> String {
        hash(seq: event.seq, at: event.at, kind: event.kind.rawValue, revision: event.revision,
             status: event.status.rawValue, heads: event.headsJSON, actor: event.actorJSON,
             detail: event.detailJSON, prevHash: event.prevHash)
    }
}
