import AtlasSandbox
import Testing

@Suite("JSON values")
struct JSONValueTests {
    @Test func serializesInOrderWithEscapes() {
        let value: JSONValue = .object([
            ("b", .int(1)), ("a", .string("q\"\\\n\u{1B}[31m\u{202E}")), ("n", .null),
            ("l", .array([.bool(true), .double(1.5)])),
        ])
        #expect(value.serialized() == #"{"b":1,"a":"q\"\\\n\u001b[31m\#u{202E}","n":null,"l":[true,1.5]}"#)
    }

    @Test func prettyPrintsNestedValues() {
        let value: JSONValue = .object([("a", .array([.int(1)])), ("e", .object([]))])
        #expect(value.serialized(pretty: true) == "{\n  \"a\" : [\n    1\n  ],\n  \"e\" : {}\n}")
    }

    @Test func parsesRoundTripKeepingOrder() throws {
        let text = #"{"z":[1,-2.5e3,"x\u00e9\ud83d\ude80"],"a":{"t":true,"f":false,"n":null}}"#
        let value = try #require(JSONValue.parse(text))
        #expect(value["z"]?.arrayValue?[2].stringValue == "xé🚀")
        #expect(value["z"]?.arrayValue?[1].doubleValue == -2500)
        #expect(value.serialized().hasPrefix(#"{"z":"#))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":}", "01", "\"unterminated", "{\"a\":1} x", "tru", "[\"\u{01}\"]"])
    func refusesMalformedText(_ text: String) {
        #expect(JSONValue.parse(text) == nil)
    }
}
