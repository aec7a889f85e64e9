import AuthCore

/// A `Decoder` over a parsed JSON object that, instead of stopping at the first problem, records a field error
/// for each member that is missing, of the wrong type or too long, and goes on with a placeholder; the caller
/// then answers 422 with all of them. It handles flat bodies: strings, booleans, whole numbers, arrays of strings,
/// and the absent / `null` / value distinction of `String??` members (absent leaves a field, `null` clears it).
struct JSONValueDecoder: Decoder {
    final class State {
        let maxLengths: [String: Int]
        let maxCounts: [String: Int]
        var errors: [FieldError] = []
        /// Members some property asked for; the others are unknown.
        var read: Set<String> = []

        init(maxLengths: [String: Int], maxCounts: [String: Int]) {
            self.maxLengths = maxLengths
            self.maxCounts = maxCounts
        }

        func fail(_ field: String, _ code: String, _ message: String) {
            errors.append(FieldError(field: field, code: code, message: message))
        }
    }

    /// Thrown where no placeholder can stand in; the recorded errors are then the answer.
    enum Stop: Error { case stop }

    let state: State
    let members: [String: JSONValue]
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Container<Key>(state: state, members: members))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw unsupported() }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { throw unsupported() }

    private func unsupported() -> Stop {
        state.fail("body", "invalid_type", "The body must be a JSON object.")
        return .stop
    }

    struct Container<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let state: State
        let members: [String: JSONValue]
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool {
            state.read.insert(key.stringValue)
            return members[key.stringValue] != nil
        }

        func decodeNil(forKey key: Key) throws -> Bool {
            state.read.insert(key.stringValue)
            return members[key.stringValue] == nil || members[key.stringValue] == .null
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let name = key.stringValue
            state.read.insert(name)
            guard let value = members[name], value != .null else {
                state.fail(name, "required", "The field \(name) is required.")
                return try placeholder(type)
            }
            return try convert(value, to: type, name: name) ?? placeholder(type)
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            let name = key.stringValue
            state.read.insert(name)
            guard let value = members[name] else { return nil }
            if value == .null {
                // `String??`: present and null means "clear it".
                return (T.self as? any ExpressibleByNilLiteral.Type).map { $0.init(nilLiteral: ()) as! T }
            }
            return try convert(value, to: type, name: name)
        }

        // The primitive requirements all go through the generic paths above.
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type as Bool.Type, generic: key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String {
            try decode(type as String.Type, generic: key)
        }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
            try decode(type as Double.Type, generic: key)
        }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
            try decode(type as Float.Type, generic: key)
        }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type as Int.Type, generic: key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type as Int8.Type, generic: key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
            try decode(type as Int16.Type, generic: key)
        }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
            try decode(type as Int32.Type, generic: key)
        }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
            try decode(type as Int64.Type, generic: key)
        }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type as UInt.Type, generic: key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
            try decode(type as UInt8.Type, generic: key)
        }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
            try decode(type as UInt16.Type, generic: key)
        }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
            try decode(type as UInt32.Type, generic: key)
        }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
            try decode(type as UInt64.Type, generic: key)
        }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
            try decodeIfPresent(type, generic: key)
        }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
            try decodeIfPresent(type, generic: key)
        }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
            try decodeIfPresent(type, generic: key)
        }

        private func decode<T: Decodable>(_ type: T.Type, generic key: Key) throws -> T {
            try decode(type, forKey: key)
        }
        private func decodeIfPresent<T: Decodable>(_ type: T.Type, generic key: Key) throws -> T? {
            try decodeIfPresent(type, forKey: key)
        }

        /// The member as `T`, or nil after recording why it is not one.
        private func convert<T>(_ value: JSONValue, to type: T.Type, name: String) throws -> T? {
            switch T.self {
            case is String.Type, is String?.Type:
                guard case .string(let text) = value else {
                    let expected = T.self is String?.Type ? "a string or null" : "a string"
                    state.fail(name, "invalid_type", "The field \(name) must be \(expected).")
                    return nil
                }
                if let max = state.maxLengths[name], !text.fits(max) {
                    state.fail(name, "too_long", "At most \(max) characters.")
                    return nil
                }
                return (T.self is String.Type ? text as! T : String?.some(text) as! T)
            case is Bool.Type:
                guard case .bool(let flag) = value else {
                    state.fail(name, "invalid_type", "The field \(name) must be true or false.")
                    return nil
                }
                return (flag as! T)
            case is Int.Type:
                guard case .number(let number) = value, let whole = Int(exactly: number) else {
                    state.fail(name, "invalid_type", "The field \(name) must be a whole number.")
                    return nil
                }
                return (whole as! T)
            case is [String].Type:
                let itemMax = state.maxLengths[name] ?? FieldLimits.arrayItem
                guard case .array(let items) = value else {
                    state.fail(name, "invalid_type", "The field \(name) must be an array of strings.")
                    return nil
                }
                var strings: [String] = []
                for item in items {
                    guard case .string(let text) = item, text.fits(itemMax) else {
                        state.fail(name, "invalid_type", "The field \(name) must be an array of strings.")
                        return nil
                    }
                    strings.append(text)
                }
                let maxCount = state.maxCounts[name] ?? 200
                guard strings.count <= maxCount else {
                    state.fail(name, "too_many", "At most \(maxCount) items.")
                    return nil
                }
                return (strings as! T)
            default:
                state.fail(name, "invalid_type", "The field \(name) has an unsupported type.")
                throw Stop.stop
            }
        }

        /// A stand-in for a member that failed, so decoding can go on and report the others.
        private func placeholder<T>(_ type: T.Type) throws -> T {
            switch T.self {
            case is String.Type: return "" as! T
            case is Bool.Type: return false as! T
            case is Int.Type: return 0 as! T
            case is [String].Type: return [String]() as! T
            default: throw Stop.stop
            }
        }

        func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type,
            forKey key: Key
        ) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            state.fail(key.stringValue, "invalid_type", "The field \(key.stringValue) has an unsupported type.")
            throw Stop.stop
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            state.fail(key.stringValue, "invalid_type", "The field \(key.stringValue) has an unsupported type.")
            throw Stop.stop
        }

        func superDecoder() throws -> any Decoder { JSONValueDecoder(state: state, members: members) }
        func superDecoder(forKey key: Key) throws -> any Decoder { JSONValueDecoder(state: state, members: members) }
    }
}

extension String {
    /// At most `max` Unicode code points. A string of at most `max` UTF-8 bytes has at most that many code points, so
    /// the count (a walk over the whole string) is taken only for longer ones.
    func fits(_ max: Int) -> Bool {
        utf8.count <= max || unicodeScalars.count <= max
    }
}
