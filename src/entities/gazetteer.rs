//! The names newsls knows before it reads an article: generated tables (CLDR,
//! i18n-iso-countries, GeoNames, compromise; see `scripts/entities/generate.sh` and
//! NOTICE) and the project's curated tables, compiled into the binary and parsed once,
//! on first use.
//!
//! Owns: [`Entry`] and its ids, the common-word lists, the multi-pattern [`Matcher`]
//! (Aho–Corasick over token streams, anchored at token starts and after proclitics), and
//! the nisba table (`الروسية` → Russia).
//!
//! Invariants:
//! - Entry ids index [`Gazetteer::entries`]; they are stable for one binary.
//! - Where two entries share a form, the one with the higher priority owns it: curated
//!   before generated, countries before cities, larger cities first.
//! - A pattern matches only whole tokens: it is the token stream of the name
//!   ([`TokenStream::pattern`]), searched anchored at a token start (or after a proclitic
//!   reading) and ending with the space that follows every token.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

use super::arabic::{country_stem, is_arabic, key, nisba_stem};
use super::glossary::parse_entries;
use super::tokens::{Caps, TokenStream};
use super::Kind;

/// Index of an entry in the gazetteer (or, for glossary entries, in the glossary).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId(pub u32);

/// Where an entry comes from; a hover names GeoNames and CLDR, as their licences ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    Glossary,
    Curated,
    Cldr,
    GeoNames,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Glossary => "newsroom glossary",
            Source::Curated => "newsls",
            Source::Cldr => "Unicode CLDR",
            Source::GeoNames => "GeoNames (CC BY 4.0)",
        }
    }
}

/// One known entity.
#[derive(Clone, Debug)]
pub struct Entry {
    pub id: EntryId,
    pub kind: Kind,
    /// Canonical English spelling.
    pub en: Option<Box<str>>,
    /// Canonical Arabic spelling.
    pub ar: Option<Box<str>>,
    pub about_en: Option<Box<str>>,
    pub about_ar: Option<Box<str>>,
    /// When a changing fact (an office) was last true, `YYYY-MM`.
    pub as_of: Option<Box<str>>,
    /// Forms later mentions use: surname, title + name, acronym.
    pub short: Vec<Box<str>>,
    /// Accepted house-style variants.
    pub variants: Vec<Box<str>>,
    /// Spellings to flag.
    pub avoid: Vec<Box<str>>,
    /// Arabic adjectives of a country that its name does not give by rule.
    pub nisba: Vec<Box<str>>,
    /// Inhabitants, for cities from GeoNames (0 elsewhere).
    pub population: u32,
    pub source: Source,
}

impl Entry {
    /// The entry's name in the language of `arabic`, or in the other one.
    pub fn name(&self, arabic: bool) -> &str {
        let (a, b) = if arabic {
            (&self.ar, &self.en)
        } else {
            (&self.en, &self.ar)
        };
        a.as_deref().or(b.as_deref()).unwrap_or("")
    }

    /// Every written form with its role, canonical ones first.
    pub fn forms(&self) -> impl Iterator<Item = (&str, Role)> {
        let canonical = self
            .en
            .iter()
            .chain(self.ar.iter())
            .map(|f| (&**f, Role::Canonical));
        canonical
            .chain(self.short.iter().map(|f| (&**f, Role::Short)))
            .chain(self.variants.iter().map(|f| (&**f, Role::Variant)))
            .chain(self.avoid.iter().map(|f| (&**f, Role::Avoid)))
    }
}

/// What a written form is to its entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Canonical,
    Short,
    /// An accepted house-style variant: a softer finding than a misspelling.
    Variant,
    /// A spelling to flag.
    Avoid,
}

/// How the original text's case must look for a Latin pattern to count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Case {
    /// Arabic, or no letters: case says nothing.
    Any,
    /// Every token capitalised, except connectors (of, the, von, al ...).
    Capitalised,
    /// An acronym: every letter upper case (US, UN, WHO).
    Upper,
    /// Written exactly so (dpa).
    Exact,
}

#[derive(Clone, Debug)]
pub(crate) struct Pattern {
    pub entry: EntryId,
    pub role: Role,
    /// The form as the data writes it (what a misspelling finding suggests).
    pub form: Box<str>,
    /// Indexed without its article (`جزائر` for `الجزائر`): only after `ال` or `لل`.
    pub needs_article: bool,
    /// Spelt like an everyday word: counts only with other evidence.
    pub weak: bool,
    pub case: Case,
    pub tokens: u16,
    /// Bit `k` set: the form writes its `k`-th word in lower case (von der Leyen, Bosnia
    /// and Herzegovina), so the text may too.
    pub lower: u64,
}

/// Aho–Corasick over name patterns, searched anchored at token starts.
#[derive(Default)]
pub(crate) struct Matcher {
    ac: Option<AhoCorasick>,
    pub patterns: Vec<Pattern>,
    by_text: HashMap<Box<str>, u32>,
    /// The longest pattern, in bytes: an anchored search never looks further.
    longest: usize,
}

/// Words connecting the capitalised parts of a name.
pub(crate) const CONNECTORS: &[&str] = &[
    "of", "the", "de", "van", "von", "der", "den", "al", "el", "bin", "ibn", "da", "du", "la",
    "le", "di", "dos", "das", "ul",
];

impl Matcher {
    /// Builds a matcher over `entries` in priority order: the first entry to claim a
    /// pattern owns it.
    pub fn build(entries: &[Entry], common: &CommonWords) -> Matcher {
        let mut m = Matcher::default();
        let mut texts: Vec<String> = Vec::new();
        for e in entries {
            for (form, role) in e.forms() {
                let stream = TokenStream::new(form, &[]);
                let pattern = stream.stream;
                if pattern.is_empty() {
                    continue;
                }
                let tokens = pattern.matches(' ').count() as u16;
                let arabic = is_arabic(&pattern);
                let case = if arabic { Case::Any } else { case_of(form) };
                let lower = stream
                    .tokens
                    .iter()
                    .take(64)
                    .enumerate()
                    .filter(|(_, t)| t.caps == Caps::Lower)
                    .fold(0u64, |m, (k, _)| m | 1 << k);
                // A name spelt like an everyday word needs other evidence. In Arabic that
                // is a town's name or a person's surname among the most frequent words
                // (عون "help", لولا "if not"); a country is frequent because it is named.
                let single = tokens == 1;
                let doubtful_ar = e.source == Source::GeoNames || role == Role::Short;
                let weak = single
                    && if arabic {
                        doubtful_ar && common.is_frequent_ar(pattern.trim_end())
                    } else {
                        common.is_common_en(pattern.trim_end())
                    };
                let mut add = |text: String, needs_article: bool, weak: bool| {
                    if m.by_text.contains_key(text.as_str()) {
                        return;
                    }
                    m.by_text
                        .insert(text.clone().into(), m.patterns.len() as u32);
                    m.longest = m.longest.max(text.len());
                    texts.push(text);
                    m.patterns.push(Pattern {
                        entry: e.id,
                        role,
                        form: form.into(),
                        needs_article,
                        weak,
                        case,
                        tokens,
                        lower,
                    });
                };
                add(pattern.clone(), false, weak);
                if arabic {
                    if let Some(rest) = pattern.strip_prefix("ال") {
                        if rest
                            .split(' ')
                            .next()
                            .is_some_and(|t| t.chars().count() >= 3)
                        {
                            let weak =
                                single && doubtful_ar && common.is_frequent_ar(rest.trim_end());
                            add(rest.to_string(), true, weak);
                        }
                    }
                }
            }
        }
        if !texts.is_empty() {
            m.ac = Some(
                AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                    // Anchored searches never use a prefilter.
                    .prefilter(false)
                    .match_kind(MatchKind::LeftmostLongest)
                    .start_kind(StartKind::Anchored)
                    .build(&texts)
                    .expect("gazetteer patterns build"),
            );
        }
        m
    }

    /// The longest pattern starting exactly at stream offset `at`: (pattern, end).
    pub fn longest_at(&self, stream: &str, at: usize) -> Option<(&Pattern, usize)> {
        let ac = self.ac.as_ref()?;
        // Bounded by the longest pattern, so that each search costs the same however
        // long the text (a 5 MB line stays linear).
        let end = (at + self.longest).min(stream.len());
        let input = Input::new(stream).range(at..end).anchored(Anchored::Yes);
        let m = ac.find(input)?;
        Some((&self.patterns[m.pattern().as_usize()], m.end()))
    }

    /// The pattern whose text is exactly the stream form of `name`.
    pub fn get(&self, name: &str) -> Option<&Pattern> {
        let p = TokenStream::pattern(name);
        self.by_text
            .get(p.as_str())
            .map(|&i| &self.patterns[i as usize])
    }

    /// Every pattern with its stream text, for the misspelling finder's index.
    pub fn texts(&self) -> impl Iterator<Item = (&str, &Pattern)> {
        self.by_text
            .iter()
            .map(|(t, &i)| (&**t, &self.patterns[i as usize]))
    }
}

fn case_of(form: &str) -> Case {
    let letters: Vec<char> = form.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
        return Case::Upper;
    }
    // A form that is all lower case (dpa) is written exactly so.
    if letters.iter().all(|c| c.is_lowercase()) {
        return Case::Exact;
    }
    Case::Capitalised
}

/// Word lists that tell everyday words from names.
pub struct CommonWords {
    /// The 40,000 most frequent Arabic word keys of a news corpus. Sets, not sorted
    /// lists: every word of an article is looked up, some several times (a binary search
    /// of 40,000 keys was a tenth of the entity index's time).
    ar: HashSet<&'static str>,
    /// The 2,000 most frequent of them.
    ar_frequent: HashSet<&'static str>,
    /// English words that are not names, lower case.
    en: HashSet<&'static str>,
}

fn lines(data: &'static str) -> Vec<&'static str> {
    data.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
}

impl CommonWords {
    pub fn is_common_ar(&self, key: &str) -> bool {
        self.ar.contains(key)
    }
    pub fn is_frequent_ar(&self, key: &str) -> bool {
        self.ar_frequent.contains(key)
    }
    pub fn is_common_en(&self, lower: &str) -> bool {
        self.en.contains(lower)
    }

    /// Is this lower-case word in the English dictionary (a Bloom filter of ~260,000
    /// words; about one in 200 non-words reads as a word)? An everyday word that starts a
    /// sentence or a table row ("Region") is no misspelt name.
    pub fn is_dictionary_en(&self, lower: &str) -> bool {
        self.is_common_en(lower) || EN_WORDS.contains(lower)
    }
}

/// A Bloom filter of English dictionary words (`scripts/entities/en_words_bloom.py`
/// writes it and describes the format).
struct Bloom {
    bits: u64,
    hashes: u8,
    array: &'static [u8],
}

const FNV_PRIME: u64 = 0x100000001B3;

fn fnv(data: &[u8], basis: u64) -> u64 {
    data.iter()
        .fold(basis, |h, &b| (h ^ b as u64).wrapping_mul(FNV_PRIME))
}

impl Bloom {
    const fn parse(data: &'static [u8]) -> Bloom {
        assert!(
            data.len() > 10 && data[0] == b'N' && data[4] == b'1',
            "not a bloom file"
        );
        let bits = u32::from_le_bytes([data[5], data[6], data[7], data[8]]) as u64;
        let (_, array) = data.split_at(10);
        Bloom {
            bits,
            hashes: data[9],
            array,
        }
    }

    fn contains(&self, word: &str) -> bool {
        let data = word.as_bytes();
        let h1 = fnv(data, 0xCBF29CE484222325);
        let h2 = fnv(data, 0x84222325CBF29CE4) | 1;
        (0..self.hashes as u64).all(|i| {
            let bit = h1.wrapping_add(i.wrapping_mul(h2)) % self.bits;
            self.array[(bit / 8) as usize] & (1 << (bit % 8)) != 0
        })
    }
}

const EN_WORDS_DATA: &[u8] = include_bytes!("../../data/entities/generated/en-words.bloom");
static EN_WORDS: Bloom = Bloom::parse(EN_WORDS_DATA);

const COMMON_AR: &str = include_str!("../../data/entities/generated/common-ar.txt");
const FREQUENT_AR: &str = include_str!("../../data/entities/generated/frequent-ar.txt");
const COMMON_EN: &str = include_str!("../../data/entities/generated/common-en.txt");
const COMMON_EN_EXTRA: &str = include_str!("../../data/entities/curated/common-en-extra.txt");
const FIRST_NAMES_EN: &str = include_str!("../../data/entities/generated/en-first-names.txt");
const SURNAMES_EN: &str = include_str!("../../data/entities/generated/en-surnames.txt");
const COUNTRIES: &str = include_str!("../../data/entities/generated/countries.tsv");
const CITIES: &str = include_str!("../../data/entities/generated/cities.tsv");
const CURATED: [&str; 4] = [
    include_str!("../../data/entities/curated/people.toml"),
    include_str!("../../data/entities/curated/organisations.toml"),
    include_str!("../../data/entities/curated/places.toml"),
    include_str!("../../data/entities/curated/countries.toml"),
];

/// Bytes of entity data compiled into the binary.
pub const EMBEDDED_BYTES: usize = COMMON_AR.len()
    + FREQUENT_AR.len()
    + COMMON_EN.len()
    + COMMON_EN_EXTRA.len()
    + FIRST_NAMES_EN.len()
    + SURNAMES_EN.len()
    + COUNTRIES.len()
    + CITIES.len()
    + CURATED[0].len()
    + CURATED[1].len()
    + CURATED[2].len()
    + CURATED[3].len();

// The data stays under a megabyte; most of it is the Arabic common-word list, and a
// larger list needs a reason.
const _: () = assert!(
    EMBEDDED_BYTES + EN_WORDS_DATA.len() < 3 << 19,
    "embedded entity data over 1.5 MB"
);

/// The common-word lists (loaded on first use, without the rest of the gazetteer).
pub fn common_words() -> &'static CommonWords {
    static COMMON: OnceLock<CommonWords> = OnceLock::new();
    COMMON.get_or_init(|| CommonWords {
        ar: lines(COMMON_AR).into_iter().collect(),
        ar_frequent: lines(FREQUENT_AR).into_iter().collect(),
        en: lines(COMMON_EN)
            .into_iter()
            .chain(
                lines(COMMON_EN_EXTRA)
                    .into_iter()
                    .filter(|w| !w.starts_with('#')),
            )
            .collect(),
    })
}

/// Everything newsls knows about names before reading an article.
pub struct Gazetteer {
    entries: Vec<Entry>,
    pub(crate) matcher: Matcher,
    /// Nisba stem (`روس`, `امريك`) → country.
    nisba: HashMap<Box<str>, EntryId>,
    first_names_en: HashSet<&'static str>,
    surnames_en: HashSet<&'static str>,
    /// Problems in the embedded curated tables (a test keeps this empty).
    pub load_errors: Vec<super::GlossaryError>,
}

static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();

/// The gazetteer, parsed on first use.
pub fn gazetteer() -> &'static Gazetteer {
    GAZETTEER.get_or_init(Gazetteer::load)
}

/// Whether the gazetteer is loaded yet (the server loads it ahead of the first check).
pub fn is_loaded() -> bool {
    GAZETTEER.get().is_some()
}

impl Gazetteer {
    /// Parses the embedded tables into a new gazetteer; [`gazetteer`] does this once.
    /// Public so that the load can be timed.
    pub fn load_fresh() -> Gazetteer {
        Gazetteer::load()
    }

    fn load() -> Gazetteer {
        let mut entries: Vec<Entry> = Vec::new();
        let mut load_errors = Vec::new();
        for data in CURATED {
            let (parsed, errors) = parse_entries(data, Source::Curated);
            entries.extend(parsed);
            load_errors.extend(errors);
        }
        let mut countries: HashMap<&str, (Box<str>, Box<str>)> = HashMap::new();
        for row in COUNTRIES.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = row.split('\t').collect();
            let [code, kind, en, ar, en_var, ar_var] = f[..] else {
                continue;
            };
            countries.insert(code, (en.into(), ar.into()));
            // A curated entry of the same country adds its variants and nisba to it.
            let curated = entries.iter_mut().find(|e| {
                e.kind == Kind::Country
                    && e.en.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(en))
            });
            let variants = en_var
                .split('|')
                .chain(ar_var.split('|'))
                .filter(|v| !v.is_empty());
            match curated {
                Some(c) => {
                    c.ar.get_or_insert_with(|| ar.into());
                    c.about_en
                        .get_or_insert_with(|| "Country or territory".into());
                    c.about_ar.get_or_insert_with(|| "دولة أو إقليم".into());
                    for v in variants {
                        if !c.variants.iter().any(|x| &**x == v) {
                            c.variants.push(v.into());
                        }
                    }
                }
                None => {
                    let region = kind == "region";
                    entries.push(Entry {
                        id: EntryId(0),
                        kind: if region { Kind::Region } else { Kind::Country },
                        en: Some(en.into()),
                        ar: Some(ar.into()),
                        about_en: Some(
                            if region {
                                "World region"
                            } else {
                                "Country or territory"
                            }
                            .into(),
                        ),
                        about_ar: Some(
                            if region {
                                "منطقة من العالم"
                            } else {
                                "دولة أو إقليم"
                            }
                            .into(),
                        ),
                        as_of: None,
                        short: Vec::new(),
                        variants: variants.map(Into::into).collect(),
                        avoid: Vec::new(),
                        nisba: Vec::new(),
                        population: 0,
                        source: Source::Cldr,
                    });
                }
            }
        }
        let common = common_words();
        for row in CITIES.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = row.split('\t').collect();
            let [_id, cc, pop, en, ar, ar_var] = f[..] else {
                continue;
            };
            let (country_en, country_ar) = countries.get(cc).cloned().unwrap_or_default();
            entries.push(Entry {
                id: EntryId(0),
                kind: Kind::City,
                en: Some(en.into()),
                ar: (!ar.is_empty()).then(|| ar.into()),
                about_en: Some(format!("City in {country_en}").into()),
                about_ar: Some(format!("مدينة في {country_ar}").into()),
                as_of: None,
                short: Vec::new(),
                // GeoNames' Arabic alternate names are noisy: an everyday word among them
                // (الجزيرة, "the island", listed for Algiers) would make every island
                // a variant spelling of the city.
                variants: ar_var
                    .split('|')
                    .filter(|v| !v.is_empty())
                    .filter(|v| {
                        let k = super::arabic::key(v);
                        !common.is_common_ar(&k)
                            && !k
                                .strip_prefix("ال")
                                .is_some_and(|bare| common.is_common_ar(bare))
                    })
                    .map(Into::into)
                    .collect(),
                avoid: Vec::new(),
                nisba: Vec::new(),
                population: pop.parse().unwrap_or(0),
                source: Source::GeoNames,
            });
        }
        // Priority order, which decides who owns a shared form.
        entries.sort_by(|a, b| {
            (
                a.source.min(Source::Cldr),
                a.kind,
                std::cmp::Reverse(a.population),
            )
                .cmp(&(
                    b.source.min(Source::Cldr),
                    b.kind,
                    std::cmp::Reverse(b.population),
                ))
        });
        for (i, e) in entries.iter_mut().enumerate() {
            e.id = EntryId(i as u32);
        }
        let common = common_words();
        let matcher = Matcher::build(&entries, common);
        let mut nisba = HashMap::new();
        for e in entries.iter().filter(|e| e.kind == Kind::Country) {
            let derived =
                e.ar.iter()
                    .chain(e.variants.iter().filter(|v| is_arabic(v)))
                    .filter(|n| !n.contains(' '))
                    .map(|n| country_stem(n));
            let listed = e.nisba.iter().filter_map(|n| {
                let k = key(n);
                let k = k.strip_prefix("ال").unwrap_or(&k).to_string();
                nisba_stem(&k).map(str::to_string)
            });
            for stem in derived.chain(listed) {
                if stem.chars().count() >= 3 {
                    nisba.entry(stem.into()).or_insert(e.id);
                }
            }
        }
        Gazetteer {
            entries,
            matcher,
            nisba,
            first_names_en: lines(FIRST_NAMES_EN).into_iter().collect(),
            surnames_en: lines(SURNAMES_EN).into_iter().collect(),
            load_errors,
        }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn entry(&self, id: EntryId) -> &Entry {
        &self.entries[id.0 as usize]
    }

    /// The entry that owns the written form `name` (any spelling the key folds together).
    pub fn lookup(&self, name: &str) -> Option<&Entry> {
        self.matcher.get(name).map(|p| self.entry(p.entry))
    }

    /// The country an Arabic adjective relates to (`الروسية`, `الأمريكي`), given the
    /// adjective's key without proclitics.
    pub fn nisba_of(&self, key: &str) -> Option<EntryId> {
        // As written first (الماني from ألماني), then without an article.
        std::iter::once(key)
            .chain(key.strip_prefix("ال"))
            .find_map(|k| self.nisba.get(nisba_stem(k)?).copied())
    }

    pub fn is_first_name_en(&self, lower: &str) -> bool {
        self.first_names_en.contains(lower)
    }

    pub fn is_surname_en(&self, lower: &str) -> bool {
        self.surnames_en.contains(lower)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_dictionary_knows_everyday_words_not_names() {
        let c = super::common_words();
        for w in ["region", "tonnes", "harbour", "summit", "ceasefire"] {
            assert!(c.is_dictionary_en(w), "{w}");
        }
        for w in ["oregon", "putin", "kyiv", "guterres", "rotterdam"] {
            assert!(!c.is_dictionary_en(w), "{w}");
        }
    }

    use super::*;

    #[test]
    fn embedded_tables_load_without_errors() {
        let g = gazetteer();
        assert!(g.load_errors.is_empty(), "{:?}", g.load_errors);
        assert!(g.entries().len() > 3000);
        for list in [
            COMMON_AR,
            FREQUENT_AR,
            COMMON_EN,
            FIRST_NAMES_EN,
            SURNAMES_EN,
        ] {
            let l = lines(list);
            assert!(
                l.windows(2).all(|w| w[0] < w[1]),
                "word lists are sorted for binary search"
            );
        }
    }

    #[test]
    fn the_common_word_list_is_made_of_keys() {
        // generate.py computes the key too; this keeps the two in step.
        for w in lines(COMMON_AR) {
            assert_eq!(key(w), w);
        }
    }

    #[test]
    fn lookup_by_any_spelling() {
        let g = gazetteer();
        assert_eq!(g.lookup("ألاسكا").unwrap().en.as_deref(), Some("Alaska"));
        assert_eq!(g.lookup("الاسكا").unwrap().en.as_deref(), Some("Alaska"));
        assert_eq!(
            g.lookup("فلاديمير بوتين").unwrap().en.as_deref(),
            Some("Vladimir Putin")
        );
        assert_eq!(
            g.lookup("ترمب").unwrap().en.as_deref(),
            Some("Donald Trump")
        );
        assert_eq!(g.lookup("موسكو").unwrap().en.as_deref(), Some("Moscow"));
        assert_eq!(g.lookup("Moscow").unwrap().kind, Kind::City);
        assert_eq!(g.lookup("القاهرة").unwrap().en.as_deref(), Some("Cairo"));
        assert_eq!(g.lookup("United States").unwrap().kind, Kind::Country);
        assert_eq!(
            g.lookup("أمريكا").unwrap().en.as_deref(),
            Some("United States")
        );
        assert!(g.lookup("القيادة").is_none());
    }

    #[test]
    fn nisba_adjectives_relate_to_their_country() {
        let g = gazetteer();
        let country = |adj: &str| {
            g.nisba_of(&key(adj))
                .map(|id| g.entry(id).en.as_deref().unwrap().to_string())
        };
        assert_eq!(country("الروسية").as_deref(), Some("Russia"));
        assert_eq!(country("الأمريكي").as_deref(), Some("United States"));
        assert_eq!(country("الأوكرانية").as_deref(), Some("Ukraine"));
        assert_eq!(country("المصري").as_deref(), Some("Egypt"));
        assert_eq!(country("القيادة"), None);
    }
}
