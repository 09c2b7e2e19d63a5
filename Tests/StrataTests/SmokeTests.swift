import Foundation
import Testing
@testable import Strata

@Suite struct SupportTests {
    @Test func errorDescriptionJoinsDetail() {
        let error = StrataError(.usage, "Bad.", detail: "More.")
        #expect(error.description == "Bad.\nMore.")
    }

    @Test func timestampsAreFixedWidthUTCWithMillisecondsAndParseBackStrictly() throws {
        let date = Date(timeIntervalSince1970: 1_764_086_223.123)
        let text = Timestamp.string(date)
        #expect(text == "2025-11-25T15:57:03.123Z")
        #expect(Timestamp.date(text).map { abs($0.timeIntervalSince(date)) < 0.001 } == true)
        #expect(Timestamp.date("2025-11-25T15:57:03Z") != nil)
        #expect(Timestamp.date("2023-11-14T22:21Z") == nil)
        #expect(Timestamp.date("2023-11-14") == nil)
    }

    @Test func jsonIsCanonical() throws {
        let value: JSONValue = ["b": 1, "a": ["x", .null, true], "é": "line\nbreak \"q\""]
        #expect(value.text == #"{"a":["x",null,true],"b":1,"é":"line\nbreak \"q\""}"#)
        #expect(try JSONValue.parse(value.text) == value)
    }

    @Test func databaseURLs() throws {
        #expect(try DatabaseURL.path(from: "app.db") == "app.db")
        #expect(try DatabaseURL.path(from: "sqlite:///packets.db") == "packets.db")
        #expect(try DatabaseURL.path(from: "sqlite+aiosqlite:///packets.db?mode=ro") == "packets.db")
        #expect(try DatabaseURL.path(from: "sqlite:////srv/app.db") == "/srv/app.db")
        #expect(throws: StrataError.self) { try DatabaseURL.path(from: "postgresql://host/db") }
        // Nothing to migrate across processes: refused rather than "upgraded" into thin air.
        for nowhere in ["", ":memory:", "sqlite:///:memory:", "file::memory:?cache=shared", "file:app?mode=memory"] {
            let error = #expect(throws: StrataError.self) { try DatabaseURL.path(from: nowhere) }
            #expect(error?.code == .usage, "\(nowhere)")
        }
    }
}
