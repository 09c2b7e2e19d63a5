import Testing
@testable import Strata

@Suite struct ScriptChecksumTests {
    private func canonical(_ text: String) -> String {
        String(decoding: ScriptChecksum.canonicalForm(text), as: UTF8.self)
    }

    @Test func canonicalFormRules() {
        #expect(canonical("a\r\nb\r\n") == "a\nb\n")
        #expect(canonical("a\rb\r") == "a\nb\n")
        #expect(canonical("a\r\r\nb") == "a\n\nb\n")
        #expect(canonical("a  \t\nb\t \n") == "a\nb\n")
        #expect(canonical("a\n\n\n \t\n\r\n") == "a\n")
        #expect(canonical("a") == "a\n")
        #expect(canonical("\u{FEFF}a\n") == "a\n")
        #expect(canonical("") == "")
        #expect(canonical(" \n\t\r\n") == "")
    }

    @Test func leadingAndInnerWhitespaceIsContent() {
        #expect(canonical("\n  a  b\n\n\nc\n") == "\n  a  b\n\n\nc\n")
        // Only spaces and tabs are stripped: a no-break space or form feed is content.
        #expect(canonical("a\u{00A0}\n") == "a\u{00A0}\n")
        #expect(canonical("a\u{0C}\n") == "a\u{0C}\n")
    }

    @Test func noUnicodeNormalisation() {
        let composed = "caf\u{E9}\n"
        let decomposed = "cafe\u{301}\n"
        #expect(ScriptChecksum.hex(of: composed) != ScriptChecksum.hex(of: decomposed))
    }

    @Test func layoutOnlyChangesKeepTheChecksum() {
        let text = "-- revision: a1\n-- +upgrade\nCREATE TABLE t (x);\n"
        let sum = ScriptChecksum.hex(of: text)
        #expect(ScriptChecksum.hex(of: text.replacingOccurrences(of: "\n", with: "\r\n")) == sum)
        #expect(ScriptChecksum.hex(of: text.replacingOccurrences(of: "\n", with: "  \n") + "\n\n") == sum)
        #expect(ScriptChecksum.hex(of: "\u{FEFF}" + text) == sum)
        #expect(ScriptChecksum.hex(of: String(text.dropLast())) == sum)
    }

    @Test func editsChangeTheChecksum() {
        let text = "-- revision: a1\n-- +upgrade\nCREATE TABLE t (x);\n"
        let sum = ScriptChecksum.hex(of: text)
        #expect(ScriptChecksum.hex(of: text.replacingOccurrences(of: "(x)", with: "(y)")) != sum)
        #expect(ScriptChecksum.hex(of: text.replacingOccurrences(of: "(x)", with: "( x)")) != sum)
        #expect(ScriptChecksum.hex(of: "\n" + text) != sum)
        #expect(ScriptChecksum.hex(of: text + "-- note\n") != sum)
    }

    @Test func hexIsLowercaseSHA256() {
        // SHA-256 of the empty string, the canonical form of an all-blank text.
        #expect(ScriptChecksum.hex(of: "\n\n") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // SHA-256 of "abc\n" (sha256sum).
        #expect(ScriptChecksum.hex(of: "abc") == "edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb")
    }

    @Test func workedExampleFromTheDocs() {
        // Docs/formats.md, "Script checksum": keep the two in step.
        let text = "\u{FEFF}-- revision: a1  \r\n-- +upgrade\r\nSELECT 1;\t\r\n\r\n\r\n"
        #expect(canonical(text) == "-- revision: a1\n-- +upgrade\nSELECT 1;\n")
        #expect(ScriptChecksum.hex(of: text) == "f52803426a19f55cad6662df895c2dce5f58ebd87ca67bee385a3b1436ba14db")
    }
}
