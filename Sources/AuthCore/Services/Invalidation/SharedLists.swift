import Synchronization

/// One copy of each distinct list of strings (roles, permissions, `amr`) that the caches hold. A million cached
/// sessions carry a few distinct lists between them; without this each entry would own a heap copy of each of its
/// lists (about 200 bytes a session, measured with `bench/run`'s scale scenario).
enum SharedLists {
    /// Past this many distinct lists, new ones are kept unshared (a bound against unusual role sets).
    static let limit = 4_096
    private static let lists = Mutex<Set<[String]>>([])

    static func shared(_ list: [String]) -> [String] {
        if list.isEmpty { return [] }
        return lists.withLock { lists in
            if let existing = lists.firstIndex(of: list) { return lists[existing] }
            if lists.count < limit { lists.insert(list) }
            return list
        }
    }
}
