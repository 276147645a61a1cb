//! Deterministic news articles of a given size for the benchmarks, in English and
//! Arabic, as Markdown or as plain text pasted from a wire service.
//!
//! Each article is a front matter block (Markdown) or a headline and byline (plain
//! text), a dateline lead, then sections until the requested size is reached: a
//! heading, paragraphs of news prose that name people, places and organisations,
//! bullet and numbered lists, block quotes (some with emoji, as quoted from social
//! media), and tables. Every other table is broken on purpose, the kinds taken in turn so
//! that even a 10 KB article has several: a row with extra cells, a row with missing
//! cells, a bad delimiter row, a delimiter row with too few cells, no delimiter row, a
//! table cut by a blank line, a flattened table (separators lost in a copy-paste) and
//! tab-separated rows; plain text gets tab-separated tables, some with inconsistent
//! cell counts, and flattened tables.
//!
//! The output depends only on the language, the format and the size: a fixed-seed
//! SplitMix64 drives every choice, so two runs (and two machines) measure the same text.
//! Besides the text, [`Article`] lists where its headings, prose paragraphs and
//! person mentions are, so that a benchmark can type into them.
//!
//! Used by `benches/lsp_e2e.rs`, `benches/parse.rs` and `benches/memory.rs`.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::ops::Range;

/// The language of the prose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    English,
    Arabic,
}

/// Markdown with front matter, or plain text as pasted from a wire service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Markdown,
    PlainText,
}

/// A generated article and the places a benchmark may type into (byte ranges of `text`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    pub lang: Lang,
    pub kind: Kind,
    pub text: String,
    /// The text of each section heading (after `## ` in Markdown; the whole line in
    /// plain text), in document order.
    pub headings: Vec<Range<usize>>,
    /// Each paragraph of prose (one line, without its line break), in document order.
    pub paragraphs: Vec<Range<usize>>,
    /// Each mention of a person by name inside a prose paragraph, in document order.
    pub people: Vec<Range<usize>>,
    /// Tables written, and how many of them are broken on purpose.
    pub tables: usize,
    pub broken_tables: usize,
}

/// An English Markdown article of at least `bytes` bytes (the common case of the
/// benchmarks).
pub fn markdown(bytes: usize) -> String {
    generate(Lang::English, Kind::Markdown, bytes).text
}

/// An Arabic plain-text article of at least `bytes` bytes (a wire story pasted into a
/// text file).
pub fn plaintext(bytes: usize) -> String {
    generate(Lang::Arabic, Kind::PlainText, bytes).text
}

/// Offset of a spot in the middle of a prose paragraph at or after the middle of
/// `text` (just before a space, as when typing at the end of a word), for keystrokes.
pub fn middle_of_a_paragraph(text: &str) -> usize {
    let mut line_start = text.len() / 2;
    while !text.is_char_boundary(line_start) {
        line_start += 1;
    }
    line_start = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i + 1);
    for line in text[line_start..].split_inclusive('\n') {
        if is_prose(line) {
            let mid = line_start + line.len() / 2;
            let space = text[mid..].find(' ').expect("prose has spaces");
            return mid + space;
        }
        line_start += line.len();
    }
    panic!("no prose paragraph after the middle of the text")
}

/// A line of running prose: long, starting with a letter or a quotation mark.
fn is_prose(line: &str) -> bool {
    line.len() > 120
        && line
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '"')
}

/// The article in `lang` and `kind` of at least `bytes` bytes (it stops after the
/// section that reaches the size, so it overshoots by at most one section, ~2 KB).
pub fn generate(lang: Lang, kind: Kind, bytes: usize) -> Article {
    let seed = match (lang, kind) {
        (Lang::English, Kind::Markdown) => 0x6e65_7773_6c73_0001,
        (Lang::Arabic, Kind::Markdown) => 0x6e65_7773_6c73_0002,
        (Lang::English, Kind::PlainText) => 0x6e65_7773_6c73_0003,
        (Lang::Arabic, Kind::PlainText) => 0x6e65_7773_6c73_0004,
    };
    let mut w = Writer {
        rng: Rng(seed),
        v: match lang {
            Lang::English => &ENGLISH,
            Lang::Arabic => &ARABIC,
        },
        a: Article {
            lang,
            kind,
            text: String::with_capacity(bytes + 4096),
            headings: Vec::new(),
            paragraphs: Vec::new(),
            people: Vec::new(),
            tables: 0,
            broken_tables: 0,
        },
        section: 0,
    };
    w.front(kind);
    while w.a.text.len() < bytes {
        w.section(kind);
    }
    w.a
}

/// SplitMix64: tiny, fast, and the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }
}

/// The ways a table is broken, taken in turn (every other table is broken).
#[derive(Clone, Copy, Debug)]
enum Broken {
    ExtraCells,
    MissingCells,
    BadDelimiter,
    DelimiterMismatch,
    MissingDelimiter,
    Split,
    Flattened,
    TabSeparated,
}

const MARKDOWN_BREAKAGES: [Broken; 8] = [
    Broken::ExtraCells,
    Broken::MissingCells,
    Broken::BadDelimiter,
    Broken::Split,
    Broken::Flattened,
    Broken::DelimiterMismatch,
    Broken::MissingDelimiter,
    Broken::TabSeparated,
];
/// Plain text has no pipe tables: tab-separated rows with a cell too many or too few, and
/// flattened tables.
const PLAINTEXT_BREAKAGES: [Broken; 3] =
    [Broken::MissingCells, Broken::Flattened, Broken::ExtraCells];

struct Writer {
    rng: Rng,
    v: &'static Vocab,
    a: Article,
    section: usize,
}

impl Writer {
    fn out(&mut self) -> &mut String {
        &mut self.a.text
    }

    fn front(&mut self, kind: Kind) {
        let v = self.v;
        let title = v.title;
        match kind {
            Kind::Markdown => {
                let _ = write!(
                    self.out(),
                    "---\ntitle: \"{title}\"\nauthor: \"{}\"\ndate: 2025-08-16\nlang: {}\ntags: [{}]\n---\n\n# {title}\n\n",
                    v.author,
                    v.code,
                    v.tags
                );
            }
            Kind::PlainText => {
                let _ = write!(self.out(), "{title}\n\n{} {}\n\n", v.by, v.author);
            }
        }
        let place = self.rng.pick(v.places);
        let dateline = (v.dateline)(place);
        self.paragraph(&dateline, 4);
    }

    fn section(&mut self, kind: Kind) {
        self.section += 1;
        let v = self.v;
        let t = self.rng.pick(v.headings);
        let heading = self.fill(t, false);
        if kind == Kind::Markdown {
            self.out().push_str("## ");
        }
        let start = self.a.text.len();
        self.out().push_str(&heading);
        let end = self.a.text.len();
        self.a.headings.push(start..end);
        self.out().push_str("\n\n");

        let n = self.rng.between(2, 5);
        self.paragraph("", n);
        if self.rng.percent(35) {
            self.list(kind);
        }
        let n = self.rng.between(2, 4);
        self.paragraph("", n);
        self.table(kind);
        if kind == Kind::Markdown && self.rng.percent(30) {
            self.quote();
        }
        let n = self.rng.between(1, 4);
        self.paragraph("", n);
    }

    /// A paragraph of `sentences` sentences after `lead` (a dateline), on one line.
    fn paragraph(&mut self, lead: &str, sentences: usize) {
        let start = self.a.text.len();
        self.out().push_str(lead);
        for i in 0..sentences {
            if i > 0 || !lead.is_empty() {
                self.out().push(' ');
            }
            let t = self.rng.pick(self.v.sentences);
            self.fill_into(t, true);
        }
        // A dateline ends in a dash and a space; sentences end in punctuation.
        let end = self.a.text.len();
        self.a.paragraphs.push(start..end);
        self.out().push_str("\n\n");
    }

    fn list(&mut self, kind: Kind) {
        let v = self.v;
        let items = self.rng.between(3, 5);
        let numbered = self.rng.percent(30);
        let intro = self.fill(v.list_intro, false);
        let _ = writeln!(self.out(), "{intro}\n");
        for i in 0..items {
            let t = self.rng.pick(v.list_items);
            let item = self.fill(t, false);
            let marker = match (kind, numbered) {
                (Kind::Markdown, true) => format!("{}. ", i + 1),
                (Kind::Markdown, false) => "- ".to_string(),
                (Kind::PlainText, _) => "  • ".to_string(),
            };
            let _ = writeln!(self.out(), "{marker}{item}");
        }
        self.out().push('\n');
    }

    fn quote(&mut self) {
        let v = self.v;
        let t = self.rng.pick(v.quotes);
        let q = self.fill(t, false);
        let _ = write!(self.out(), "> {q}\n\n");
    }

    fn table(&mut self, kind: Kind) {
        self.a.tables += 1;
        let broken = if self.a.tables % 2 == 0 {
            let k = self.a.broken_tables;
            self.a.broken_tables += 1;
            Some(match kind {
                Kind::Markdown => MARKDOWN_BREAKAGES[k % MARKDOWN_BREAKAGES.len()],
                Kind::PlainText => PLAINTEXT_BREAKAGES[k % PLAINTEXT_BREAKAGES.len()],
            })
        } else {
            None
        };
        let v = self.v;
        let rows = self.rng.between(3, 6);
        let flattened = matches!(broken, Some(Broken::Flattened));
        // A flattened table keeps one word per cell: the pledges table, by country.
        let (intro, header, column) = if flattened {
            v.tables[0]
        } else {
            self.rng.pick(v.tables)
        };
        let intro = self.fill(intro, false);
        let _ = write!(self.out(), "{intro}\n\n");

        if flattened {
            // One word per cell, every line the same number of words, numbers in the rows:
            // what is left of a table pasted without its separators.
            let _ = writeln!(self.out(), "{}", v.flat_header.join(" "));
            for _ in 0..rows {
                let c = self.rng.pick(v.one_word_countries);
                let (a, b) = (self.rng.between(3, 90), self.rng.between(10, 900));
                let _ = writeln!(self.out(), "{c} {a} {b}");
            }
            self.out().push('\n');
            return;
        }

        let cells: Vec<[String; 3]> = (0..rows)
            .map(|_| {
                let first = match column {
                    Column::Country => self.rng.pick(v.countries).to_string(),
                    Column::Place => self.rng.pick(v.places).to_string(),
                    Column::Org => self.rng.pick(v.short_orgs).to_string(),
                };
                let a = self.rng.between(2, 400).to_string();
                let b = format!("{}.{}", self.rng.between(1, 90), self.rng.below(10));
                [first, a, b]
            })
            .collect();

        let tsv = kind == Kind::PlainText || matches!(broken, Some(Broken::TabSeparated));
        if tsv {
            let _ = writeln!(self.out(), "{}", header.join("\t"));
            for (i, row) in cells.iter().enumerate() {
                let line = match (kind, broken, i) {
                    (Kind::PlainText, Some(Broken::MissingCells), 1) => row[..2].join("\t"),
                    (Kind::PlainText, Some(Broken::ExtraCells), 1) => {
                        format!("{}\t{}", row.join("\t"), v.revised)
                    }
                    _ => row.join("\t"),
                };
                let _ = writeln!(self.out(), "{line}");
            }
            self.out().push('\n');
            return;
        }

        let pipe = |cells: &[&str]| format!("| {} |", cells.join(" | "));
        let _ = writeln!(self.out(), "{}", pipe(&header));
        let delimiter = match broken {
            Some(Broken::BadDelimiter) => self.rng.pick(&[
                "| --- | --:- | ---: |",
                "| == | --- | --- |",
                "|---|- -|---:|",
            ]),
            Some(Broken::DelimiterMismatch) => "| --- | --- |",
            Some(Broken::MissingDelimiter) => "",
            _ => self.rng.pick(&[
                "|---|---:|---:|",
                "| --- | ---: | ---: |",
                "|:---|:---:|---:|",
            ]),
        };
        if !delimiter.is_empty() {
            let _ = writeln!(self.out(), "{delimiter}");
        }
        for (i, row) in cells.iter().enumerate() {
            let row: Vec<&str> = row.iter().map(String::as_str).collect();
            let line = match (broken, i) {
                (Some(Broken::ExtraCells), 1) => pipe(&[row[0], row[1], row[2], v.revised]),
                (Some(Broken::MissingCells), 1) => pipe(&row[..2]),
                _ => pipe(&row),
            };
            let _ = writeln!(self.out(), "{line}");
            if matches!(broken, Some(Broken::Split)) && i == 1 {
                self.out().push('\n');
            }
        }
        self.out().push('\n');
    }

    /// `template` with its slots filled (see [`Vocab::sentences`]).
    fn fill(&mut self, template: &str, record_people: bool) -> String {
        let start = self.a.text.len();
        self.fill_into(template, record_people);
        self.a.text.split_off(start)
    }

    /// Appends `template` with its slots filled; records person mentions when asked.
    fn fill_into(&mut self, template: &str, record_people: bool) {
        let v = self.v;
        let (p1, p2) = {
            let i = self.rng.below(v.people.len());
            let j = (i + 1 + self.rng.below(v.people.len() - 1)) % v.people.len();
            (v.people[i], v.people[j])
        };
        let (l1, l2) = (self.rng.pick(v.places), self.rng.pick(v.places));
        let mut rest = template;
        while let Some(i) = rest.find('{') {
            self.out().push_str(&rest[..i]);
            let j = rest[i..].find('}').expect("closed slot") + i;
            let slot = &rest[i + 1..j];
            rest = &rest[j + 1..];
            let person = match slot {
                "P" => Some(p1.0),
                "P2" => Some(p2.0),
                _ => None,
            };
            if let Some(name) = person {
                let start = self.a.text.len();
                self.out().push_str(name);
                if record_people {
                    let end = self.a.text.len();
                    self.a.people.push(start..end);
                }
                continue;
            }
            let text: String = match slot {
                "R" => p1.1.to_string(),
                "L" => l1.to_string(),
                "L2" => l2.to_string(),
                "O" => self.rng.pick(v.orgs).to_string(),
                "D" => self.rng.pick(v.days).to_string(),
                "M" => self.rng.pick(v.months).to_string(),
                "N" => (v.digits)(self.rng.between(11, 60)),
                "n" => (v.digits)(self.rng.below(10)),
                "Y" => (v.digits)(self.rng.between(2019, 2025)),
                other => panic!("unknown slot {{{other}}}"),
            };
            self.out().push_str(&text);
        }
        self.out().push_str(rest);
    }
}

#[derive(Clone, Copy)]
enum Column {
    Country,
    Place,
    Org,
}

/// The words of one language. Templates have slots: `{P}`/`{P2}` two different people,
/// `{R}` the first one's role, `{L}`/`{L2}` places, `{O}` an organisation, `{D}` a day,
/// `{M}` a month, `{N}` a number from 11 to 60 (Arabic counts agree with it), `{n}` a digit, `{Y}` a year.
struct Vocab {
    code: &'static str,
    title: &'static str,
    author: &'static str,
    by: &'static str,
    tags: &'static str,
    dateline: fn(&str) -> String,
    digits: fn(usize) -> String,
    people: &'static [(&'static str, &'static str)],
    places: &'static [&'static str],
    orgs: &'static [&'static str],
    short_orgs: &'static [&'static str],
    countries: &'static [&'static str],
    one_word_countries: &'static [&'static str],
    days: &'static [&'static str],
    months: &'static [&'static str],
    headings: &'static [&'static str],
    sentences: &'static [&'static str],
    list_intro: &'static str,
    list_items: &'static [&'static str],
    quotes: &'static [&'static str],
    /// Tables: the sentence that introduces one, its header, what its first column holds.
    tables: &'static [(&'static str, [&'static str; 3], Column)],
    flat_header: [&'static str; 3],
    revised: &'static str,
}

static ENGLISH: Vocab = Vocab {
    code: "en",
    title: "Ceasefire talks resume in Geneva as aid agencies warn of shortages",
    author: "Jane Doe",
    by: "By",
    tags: "diplomacy, ceasefire, aid",
    dateline: |place| format!("{} (Reuters) —", place.to_uppercase()),
    digits: |n| n.to_string(),
    people: &[
        ("Vladimir Putin", "Russian President"),
        ("Donald Trump", "U.S. President"),
        ("António Guterres", "U.N. Secretary-General"),
        ("Emmanuel Macron", "French President"),
        ("Ursula von der Leyen", "European Commission President"),
        ("Recep Tayyip Erdoğan", "Turkish President"),
        ("Abdel Fattah al-Sisi", "Egyptian President"),
        ("Mohammed bin Salman", "Saudi Crown Prince"),
        ("Kristalina Georgieva", "IMF Managing Director"),
        ("Tedros Adhanom Ghebreyesus", "WHO Director-General"),
        ("Ahmed Aboul Gheit", "Arab League Secretary-General"),
        ("Keir Starmer", "British Prime Minister"),
    ],
    places: &[
        "Geneva", "Cairo", "Riyadh", "Anchorage", "Brussels", "Beirut", "Amman", "Doha",
        "Istanbul", "Baghdad", "Tunis", "Rabat", "Khartoum", "Sharm el-Sheikh", "Jeddah",
        "Moscow", "Washington", "Nairobi",
    ],
    orgs: &[
        "the United Nations",
        "the World Health Organization",
        "the International Monetary Fund",
        "the World Bank",
        "the European Union",
        "NATO",
        "the Arab League",
        "OPEC",
        "the African Union",
        "the International Committee of the Red Cross",
        "the World Food Programme",
    ],
    short_orgs: &["UNHCR", "WFP", "UNICEF", "WHO", "ICRC", "MSF", "IOM"],
    countries: &[
        "Egypt", "Saudi Arabia", "Jordan", "Qatar", "United Arab Emirates", "Turkey",
        "France", "Germany", "United States", "Norway", "Japan", "Kuwait",
    ],
    one_word_countries: &[
        "Egypt", "Jordan", "Qatar", "Turkey", "France", "Germany", "Norway", "Japan",
        "Kuwait", "Oman", "Canada", "Italy",
    ],
    days: &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    months: &[
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ],
    headings: &[
        "Talks in {L}",
        "What {O} wants",
        "Reaction in {L} and {L2}",
        "The numbers",
        "What happens next",
        "Background to the {L} talks",
        "Aid and displacement",
        "Markets react",
        "A long road from {L}",
        "Pledges at the {M} conference",
    ],
    sentences: &[
        "{R} {P} said on {D} that the talks in {L} had been \"frank and useful\", adding that {O} would send a team within {N} days.",
        "The meeting, one of {N} held since {Y}, ended without a joint statement, officials in {L} said.",
        "Diplomats said {O} was pressing both sides to agree on a ceasefire before the end of {M}.",
        "According to figures published by {O}, about {N},000 people have been displaced since the start of the year.",
        "\"We have made progress, but there is still a long way to go,\" {P} told reporters in {L}.",
        "Analysts in {L} cautioned that the agreement was fragile and depended on funding from {O}.",
        "{P}, who arrived in {L} late on {D}, is expected to meet {P2} before flying to {L2}.",
        "Stocks in {L} rose {n}.{n} percent after the announcement, while the price of Brent crude fell.",
        "In a statement, {O} said it had received {N} requests for emergency assistance this month.",
        "Officials said a final decision would be taken at a summit in {L} in {M}.",
        "{P} and {P2} spoke by telephone on {D}, according to a readout from {L}.",
        "Aid convoys carrying food and medicine have been held up at the border for {N} days, {O} said.",
    ],
    list_intro: "The draft agreement seen by Reuters includes:",
    list_items: &[
        "a ceasefire monitored by {O}",
        "an exchange of prisoners within {N} days",
        "safe corridors for aid convoys from {L}",
        "talks on reconstruction funding in {M}",
        "the return of displaced families to {L}",
        "a joint committee meeting in {L} every {N} days",
    ],
    quotes: &[
        "\"We will meet again in {L},\" {P} said after the talks.",
        "\"The people of {L} cannot wait any longer,\" said {P}, {R}.",
        "🇺🇳 Statement from {O}: talks in {L} will resume on {D} 👇",
        "\"Every day without a ceasefire costs lives,\" {O} said in a post on X. 🙏",
    ],
    tables: &[
        (
            "Pledges announced at the conference in {L}, in millions of dollars:",
            ["Country", "Delegates", "Pledged ($m)"],
            Column::Country,
        ),
        (
            "Rounds of talks so far, according to {O}:",
            ["City", "Meetings", "Hours"],
            Column::Place,
        ),
        (
            "Aid deliveries by agency since {M}:",
            ["Agency", "Trucks", "Tonnes (k)"],
            Column::Org,
        ),
    ],
    flat_header: ["Country", "Delegates", "Pledged"],
    revised: "revised",
};

static ARABIC: Vocab = Vocab {
    code: "ar",
    title: "استئناف محادثات وقف إطلاق النار في جنيف وسط تحذيرات من نقص المساعدات",
    author: "مراسل رويترز",
    by: "كتبه",
    tags: "دبلوماسية, وقف إطلاق النار, مساعدات",
    dateline: |place| format!("{place} - (رويترز) -"),
    digits: |n| {
        // Some Arabic desks write Eastern Arabic digits; mix both, deterministically.
        if n % 3 == 0 {
            n.to_string()
                .chars()
                .map(|c| char::from_u32(0x0660 + c.to_digit(10).unwrap()).unwrap())
                .collect()
        } else {
            n.to_string()
        }
    },
    people: &[
        ("فلاديمير بوتين", "الرئيس الروسي"),
        ("دونالد ترامب", "الرئيس الأمريكي"),
        ("أنطونيو غوتيريش", "الأمين العام للأمم المتحدة"),
        ("إيمانويل ماكرون", "الرئيس الفرنسي"),
        ("رجب طيب أردوغان", "الرئيس التركي"),
        ("عبد الفتاح السيسي", "الرئيس المصري"),
        ("محمد بن سلمان", "ولي العهد السعودي"),
        ("أحمد أبو الغيط", "الأمين العام لجامعة الدول العربية"),
        ("أجاي بانغا", "رئيس البنك الدولي"),
        ("تيدروس أدهانوم غيبريسوس", "المدير العام لمنظمة الصحة العالمية"),
        ("أيمن الصفدي", "وزير الخارجية الأردني"),
        ("تميم بن حمد آل ثاني", "أمير قطر"),
    ],
    places: &[
        "جنيف", "القاهرة", "الرياض", "أنكوريج", "بروكسل", "بيروت", "عمّان", "الدوحة",
        "إسطنبول", "بغداد", "تونس", "الرباط", "الخرطوم", "شرم الشيخ", "جدة", "موسكو",
        "واشنطن", "نيروبي",
    ],
    orgs: &[
        "الأمم المتحدة",
        "منظمة الصحة العالمية",
        "صندوق النقد الدولي",
        "البنك الدولي",
        "المفوضية الأوروبية",
        "جامعة الدول العربية",
        "منظمة أوبك",
        "مفوضية الاتحاد الأفريقي",
        "اللجنة الدولية للصليب الأحمر",
        "وكالة الأونروا",
    ],
    short_orgs: &["المفوضية", "البرنامج", "اليونيسف", "الأونروا", "الهلال الأحمر", "أطباء بلا حدود"],
    countries: &[
        "مصر", "السعودية", "الأردن", "قطر", "الإمارات العربية المتحدة", "تركيا", "فرنسا",
        "ألمانيا", "الولايات المتحدة", "النرويج", "اليابان", "الكويت",
    ],
    one_word_countries: &[
        "مصر", "السعودية", "الأردن", "قطر", "الإمارات", "تركيا", "فرنسا", "ألمانيا",
        "النرويج", "اليابان", "الكويت", "عُمان",
    ],
    days: &["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"],
    months: &[
        "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
        "أكتوبر", "نوفمبر", "ديسمبر",
    ],
    headings: &[
        "محادثات في {L}",
        "ماذا تريد {O}",
        "ردود الفعل في {L} و{L2}",
        "بالأرقام",
        "الخطوات التالية",
        "خلفية محادثات {L}",
        "المساعدات والنزوح",
        "الأسواق تتفاعل",
        "طريق طويل من {L}",
        "تعهدات مؤتمر {M}",
    ],
    sentences: &[
        "قال {R} {P} يوم {D} إن المحادثات في {L} كانت \"صريحة ومفيدة\"، مضيفًا أن فريقًا من {O} سيصل خلال {N} يومًا.",
        "وانتهى الاجتماع، وهو واحد من {N} اجتماعًا عُقدت منذ عام {Y}، دون بيان مشترك، بحسب ما أفاد به مسؤولون في {L}.",
        "وقال دبلوماسيون إن مسؤولين في {O} يضغطون على الطرفين للاتفاق على وقف لإطلاق النار قبل نهاية شهر {M}.",
        "ووفقًا لأرقام صادرة عن {O}، نزح نحو {N} ألف شخص منذ بداية العام.",
        "وقال {P} للصحفيين في {L}: \"لقد أحرزنا تقدمًا، لكن الطريق لا يزال طويلًا\".",
        "وحذّر محللون في {L} من أن الاتفاق هشّ ويعتمد على تمويل من {O}.",
        "ومن المقرر أن يلتقي {P}، الذي وصل إلى {L} مساء {D}، بـ{P2} قبل أن يتوجه إلى {L2}.",
        "وارتفعت الأسهم في {L} بنسبة {n}٫{n} في المئة بعد الإعلان، في حين تراجعت أسعار خام برنت.",
        "وجاء في بيان صادر عن {O} أن {N} طلبًا للمساعدة العاجلة وردت خلال هذا الشهر.",
        "وقال مسؤولون إن القرار النهائي سيُتّخذ خلال قمة تُعقد في {L} في {M} المقبل.",
        "وأجرى {P} اتصالًا هاتفيًا مع {P2} يوم {D}، بحسب بيان صادر في {L}.",
        "وأكّد بيان صادر عن {O} أن قوافل المساعدات المحمّلة بالغذاء والدواء عالقة على الحدود منذ {N} يومًا.",
    ],
    list_intro: "ويتضمن مشروع الاتفاق الذي اطلعت عليه رويترز:",
    list_items: &[
        "وقف لإطلاق النار تحت إشراف {O}",
        "تبادل للأسرى خلال {N} يومًا",
        "ممرات آمنة لقوافل المساعدات من {L}",
        "محادثات بشأن تمويل إعادة الإعمار في {M}",
        "عودة الأسر النازحة إلى {L}",
        "لجنة مشتركة تجتمع في {L} كل {N} يومًا",
    ],
    quotes: &[
        "\"سنلتقي مجددًا في {L}\"، قال {P} بعد المحادثات.",
        "\"لا يمكن لسكان {L} أن ينتظروا أكثر\"، قال {P}، {R}.",
        "🇺🇳 بيان من {O}: تُستأنف المحادثات في {L} يوم {D} 👇",
        "\"كل يوم بلا وقف لإطلاق النار يكلّف أرواحًا\"، بحسب منشور لـ{O} على منصة إكس. 🙏",
    ],
    tables: &[
        (
            "التعهدات المعلنة في مؤتمر {L} بملايين الدولارات:",
            ["الدولة", "المندوبون", "التعهدات (مليون دولار)"],
            Column::Country,
        ),
        (
            "جولات المحادثات حتى الآن بحسب {O}:",
            ["المدينة", "الاجتماعات", "الساعات"],
            Column::Place,
        ),
        (
            "شحنات المساعدات حسب الوكالة منذ {M}:",
            ["الوكالة", "الشاحنات", "الأطنان (ألف)"],
            Column::Org,
        ),
    ],
    flat_header: ["الدولة", "المندوبون", "التعهدات"],
    revised: "معدّل",
};
