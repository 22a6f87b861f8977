// The people, places and words generated organizations are made of: deliberately international.

/// A name as shown (any script) and the ASCII form used to build an email address.
struct CatalogName: Sendable {
    let display: String
    let ascii: String
}

/// Word lists the generator draws from.
enum NameCatalog {
    static let firstNames: [CatalogName] = [
        .init(display: "Alice", ascii: "alice"), .init(display: "Bob", ascii: "bob"),
        .init(display: "José", ascii: "jose"), .init(display: "Zoë", ascii: "zoe"),
        .init(display: "Łukasz", ascii: "lukasz"), .init(display: "Søren", ascii: "soren"),
        .init(display: "Ana María", ascii: "anamaria"), .init(display: "François", ascii: "francois"),
        .init(display: "Đorđe", ascii: "djordje"), .init(display: "Ingrid", ascii: "ingrid"),
        .init(display: "Chidi", ascii: "chidi"), .init(display: "Priya", ascii: "priya"),
        .init(display: "伟", ascii: "wei"), .init(display: "太郎", ascii: "taro"),
        .init(display: "민준", ascii: "minjun"), .init(display: "محمد", ascii: "mohammed"),
        .init(display: "שרה", ascii: "sarah"), .init(display: "Αθηνά", ascii: "athina"),
        .init(display: "Дмитрий", ascii: "dmitry"), .init(display: "Nguyễn Thị", ascii: "nguyenthi"),
        .init(display: "Siobhán", ascii: "siobhan"), .init(display: "Björk", ascii: "bjork"),
        .init(display: "Mateo", ascii: "mateo"), .init(display: "Olivia", ascii: "olivia"),
        .init(display: "Kwame", ascii: "kwame"), .init(display: "Aroha", ascii: "aroha"),
        .init(display: "Sam 🚀", ascii: "sam"), .init(display: "Jürgen", ascii: "jurgen"),
        .init(display: "Renée", ascii: "renee"), .init(display: "Ólafur", ascii: "olafur"),
        .init(display: "Ayşe", ascii: "ayse"), .init(display: "Marta", ascii: "marta"),
    ]

    static let lastNames: [CatalogName] = [
        .init(display: "Smith", ascii: "smith"), .init(display: "García", ascii: "garcia"),
        .init(display: "Müller", ascii: "muller"), .init(display: "Nowak", ascii: "nowak"),
        .init(display: "Øvergård", ascii: "overgard"), .init(display: "O'Brien", ascii: "obrien"),
        .init(display: "van der Berg", ascii: "vanderberg"), .init(display: "Okafor", ascii: "okafor"),
        .init(display: "李", ascii: "li"), .init(display: "山田", ascii: "yamada"),
        .init(display: "김", ascii: "kim"), .init(display: "العلي", ascii: "alali"),
        .init(display: "כהן", ascii: "cohen"), .init(display: "Παπαδόπουλος", ascii: "papadopoulos"),
        .init(display: "Иванов", ascii: "ivanov"), .init(display: "Trần", ascii: "tran"),
        .init(display: "Ní Bhriain", ascii: "nibhriain"), .init(display: "Guðmundsdóttir", ascii: "gudmundsdottir"),
        .init(display: "Patel", ascii: "patel"), .init(display: "Johnson", ascii: "johnson"),
        .init(display: "Dubois", ascii: "dubois"), .init(display: "Yılmaz", ascii: "yilmaz"),
        .init(display: "Kowalczyk-Wiśniewska", ascii: "kowalczyk"), .init(display: "Te Rangi", ascii: "terangi"),
        .init(display: "🦊 Fox", ascii: "fox"), .init(display: "Rossi", ascii: "rossi"),
        .init(display: "Mensah", ascii: "mensah"), .init(display: "Andersson", ascii: "andersson"),
    ]

    /// Names long enough to overflow any column, as real directories sometimes hold.
    static let longLastNames: [CatalogName] = [
        .init(
            display: "Wolfeschlegelsteinhausenbergerdorff-Montgomery-Featherstonehaugh",
            ascii: "wolfeschlegelsteinhausenbergerdorff"),
        .init(
            display: "de la Santísima Trinidad Ruiz y Picasso Blasco López", ascii: "delasantisimatrinidad"),
    ]

    static let domains = ["example.com", "example.org", "corp.example", "mail.example.net"]

    static let countries = ["US", "GB", "DE", "FR", "ES", "JP", "CN", "KR", "IL", "EG", "IN", "BR", "NZ", "GH", "SE"]

    /// Organization names; the spec's pattern allows letters, digits and `-_.(),:&@+'` but no spaces.
    static let organizationNames = [
        "Acme-Corporation", "Globex", "Initech(EU)", "Umbrella_Research", "Stark&Wayne", "Müller-Logistik",
        "東京データ", "Société-Générale-Tech", "Hooli.xyz", "Wonka+Co",
    ]

    static let teamNames = [
        "Platform", "Data Engineering", "Billing", "SRE on-call", "Analytics", "Security", "Mobile", "Growth",
        "Équipe Paris", "東京チーム", "Support", "Search",
    ]

    /// Project names: the spec's `Group.name` pattern allows no spaces.
    static let projectNames = [
        "production", "staging", "analytics", "payments-dev", "search.eu", "ml_features", "ledger-archive",
    ]
    static let groupRoles = ["GROUP_OWNER", "GROUP_READ_ONLY", "GROUP_DATA_ACCESS_READ_WRITE", "GROUP_CLUSTER_MANAGER"]

    /// Text that must never reach a terminal raw: CSI colour, OSC title change, bell, backspace, a bidi
    /// override that reverses what follows, a C1 control, and a cursor-movement sequence.
    static let hostileFragments = [
        "\u{1B}[31mRED\u{1B}[0m", "\u{1B}]0;pwned\u{07}", "\u{07}\u{08}\u{08}", "\u{202E}evil\u{202C}",
        "\u{9B}2J", "\u{1B}[2J\u{1B}[H", "\u{2066}isolated\u{2069}\u{200F}",
    ]
}
