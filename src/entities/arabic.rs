//! The matching key: how two spellings of a name are recognised as the same, and how a
//! match in the key maps back to the exact original characters.
//!
//! Owns: the key (NFKC; Arabic diacritics, tatweel and format/bidi controls deleted; alef
//! forms, `ى`, `ة`, Persian `ی`/`ک` and Arabic-Indic digits folded; Latin lower-cased and
//! stripped of accents), the looser grouping key (`ؤ`→`و`, `ئ`→`ي`, `ء` dropped), and the
//! proclitic rules for Arabic tokens.
//!
//! Invariants:
//! - [`Normalized`] maps every byte of its key to a *segment* of the original text (a base
//!   character with the combining marks that follow it); a key range `[a, b)` maps to the
//!   original range from the start of `a`'s segment to the end of `b - 1`'s, which always
//!   lies on character boundaries of the original.
//! - [`key`] of a string equals the key text of [`Normalized::new`] on it; a Rust test
//!   checks that the generated common-word list (made by `scripts/entities/generate.py`,
//!   which implements the same key) is made of keys.
//! - Work is linear in the input: each character is looked at a bounded number of times.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// Characters the key deletes: Arabic diacritics and Quranic marks, tatweel, and the
/// zero-width and bidirectional controls that editors and CMSs leave in names.
pub fn is_deleted(c: char) -> bool {
    matches!(c,
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0610}'..='\u{061A}' | '\u{06D6}'..='\u{06ED}'
        | '\u{0640}'
        | '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}')
}

/// Folds one character of NFKC output; `None` deletes it.
fn fold(c: char) -> Option<char> {
    if is_deleted(c) {
        return None;
    }
    Some(match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' => 'ي',
        'ة' => 'ه',
        'ی' => 'ي',
        'ک' => 'ك',
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        // Accents on Latin letters (Erdoğan, Sánchez) and the combining marks left by
        // decomposing them.
        '\u{0300}'..='\u{036F}' => return None,
        _ => c,
    })
}

/// Whether `c` needs the slow path (NFKC of its segment, Latin decomposition).
fn needs_normalizing(c: char) -> bool {
    let u = c as u32;
    // ASCII and the basic Arabic block are already in NFKC form; presentation forms
    // (U+FB50–U+FEFF), compatibility characters and accented Latin are not.
    !(u < 0xC0 || (0x0600..=0x06FF).contains(&u))
}

/// A key with a map from each of its bytes back to the original text.
#[derive(Clone, Debug, Default)]
pub struct Normalized {
    /// The key text.
    pub text: String,
    /// For each byte of `text`: where its segment starts in the original.
    starts: Vec<u32>,
    /// For each byte of `text`: where its segment ends in the original.
    ends: Vec<u32>,
}

impl Normalized {
    /// Normalises `original`; offsets in the map are relative to `original`.
    pub fn new(original: &str) -> Normalized {
        let mut out = Normalized {
            text: String::with_capacity(original.len()),
            starts: Vec::with_capacity(original.len()),
            ends: Vec::with_capacity(original.len()),
        };
        let mut chars = original.char_indices().peekable();
        let mut segment = String::new();
        while let Some((start, c)) = chars.next() {
            // A segment is a character and the combining marks after it, so that NFKC can
            // compose across them (alef + combining hamza above is أ).
            let mut end = start + c.len_utf8();
            let mut slow = needs_normalizing(c);
            segment.clear();
            segment.push(c);
            while let Some(&(i, m)) = chars.peek() {
                if canonical_combining_class(m) == 0 {
                    break;
                }
                slow |= needs_normalizing(m) || (0x0653..=0x0655).contains(&(m as u32));
                segment.push(m);
                end = i + m.len_utf8();
                chars.next();
            }
            if slow {
                for n in segment
                    .nfkc()
                    .flat_map(|n| n.to_string().nfd().collect::<Vec<_>>())
                {
                    out.push_folded(n, start, end);
                }
            } else {
                for n in segment.chars() {
                    out.push_folded(n, start, end);
                }
            }
        }
        out
    }

    fn push_folded(&mut self, c: char, start: usize, end: usize) {
        let Some(f) = fold(c) else { return };
        let before = self.text.len();
        if f.is_ascii() {
            self.text.push(f.to_ascii_lowercase());
        } else if ('\u{0600}'..='\u{06FF}').contains(&f) {
            // Arabic has no case.
            self.text.push(f);
        } else if f.is_lowercase() || !f.is_alphabetic() {
            self.text.push(f);
        } else {
            self.text.extend(f.to_lowercase());
        }
        let added = self.text.len() - before;
        self.starts.extend(std::iter::repeat_n(start as u32, added));
        self.ends.extend(std::iter::repeat_n(end as u32, added));
    }

    /// The original range covered by the key range `[a, b)` (non-empty, on char
    /// boundaries of the key).
    pub fn original(&self, a: usize, b: usize) -> std::ops::Range<usize> {
        debug_assert!(a < b && b <= self.text.len());
        self.starts[a] as usize..self.ends[b - 1] as usize
    }

    /// Where the key byte `a` starts in the original.
    pub fn original_start(&self, a: usize) -> usize {
        self.starts[a] as usize
    }
}

/// The matching key of a whole string.
pub fn key(s: &str) -> String {
    Normalized::new(s).text
}

/// The looser key that groups spelling variants: also folds hamza on its seats.
pub fn loose_key(key: &str) -> String {
    key.chars()
        .filter_map(|c| match c {
            'ؤ' => Some('و'),
            'ئ' => Some('ي'),
            'ء' => None,
            _ => Some(c),
        })
        .collect()
}

/// Arabic letters (the key's alphabet: after folding, no diacritics remain).
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}')
}

/// Whether the key is written in Arabic letters (its first letter decides).
pub fn is_arabic(key: &str) -> bool {
    key.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(is_arabic_letter)
}

/// A proclitic reading of an Arabic token: how much of its key to strip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Proclitic {
    /// Bytes of the key stripped before the name's key begins.
    pub strip: usize,
    /// The stripped part ends with the article (`ال`, or the `ل` of `لل`): only names
    /// that carry the article (`الجزائر`, indexed as `جزائر` + article) may follow.
    pub article: bool,
    /// Bytes of the key, from its start, that are not part of the name's span: the
    /// article belongs to the name (`لل` + `جزائر` is shown as `لجزائر` = `الجزائر`).
    pub span_from: usize,
}

/// The proclitic readings of a key, least stripped first. At most one from each slot,
/// in order: `و`/`ف`, then `ب`/`ل`/`ك`, then `ال`; `لل` is `ل` + `ال` with the alef
/// dropped. A reading qualifies only if at least three letters remain after it.
///
/// Whether a stripped reading is accepted is the caller's decision: only if what remains
/// is a known name (ENTITIES.md: `بلجيكا`, `فرنسا`, `وليد` must survive whole).
pub fn proclitics(key: &str) -> Vec<Proclitic> {
    let mut out = Vec::new();
    let letters_after = |strip: usize| {
        key[strip..]
            .chars()
            .filter(|&c| is_arabic_letter(c))
            .count()
    };
    let mut push = |strip: usize, article: bool, span_from: usize| {
        if strip > 0 && letters_after(strip) >= 3 {
            out.push(Proclitic {
                strip,
                article,
                span_from,
            });
        }
    };
    // Every proclitic letter is two bytes in UTF-8.
    let conjunctions = [0]
        .into_iter()
        .chain((key.starts_with(['و', 'ف'])).then_some(2));
    for conj in conjunctions {
        let rest = &key[conj..];
        let prepositions = [None].into_iter().chain(
            rest.starts_with(['ب', 'ل', 'ك'])
                .then(|| rest.chars().next()),
        );
        for prep in prepositions {
            let p = conj + if prep.is_some() { 2 } else { 0 };
            push(p, false, p);
            if prep == Some('ل') {
                // لل: the preposition and the article whose alef was dropped.
                if key[p..].starts_with('ل') {
                    push(p + 2, true, p);
                }
            } else if key[p..].starts_with("ال") {
                push(p + 4, true, p);
            }
        }
    }
    out.sort_by_key(|p| (p.strip, p.article));
    out.dedup();
    out
}

/// The nisba ("relating to") adjective shape: `ال`-less stem + `ي`/`يه`/`يين`/`يون`/`يا`…
/// Returns the stem if `key` (without proclitics) looks like one.
pub fn nisba_stem(key: &str) -> Option<&str> {
    for suffix in ["يتين", "يين", "يون", "يات", "يه", "ي"] {
        if let Some(stem) = key.strip_suffix(suffix) {
            if stem.chars().count() >= 2 {
                return Some(stem);
            }
        }
    }
    None
}

/// The stem a country name gives its nisba: `روسيا`→`روس`, `الصين`→`صين`, `مصر`→`مصر`,
/// `ألمانيا`→`المان` (a hamza on the alef shows it is no article). `name` is as written.
pub fn country_stem(name: &str) -> String {
    let key = self::key(name);
    let k = if name.starts_with("ال") {
        &key[4..]
    } else {
        &key[..]
    };
    for suffix in ["يا", "ه", "ا"] {
        if let Some(stem) = k.strip_suffix(suffix) {
            if stem.chars().count() >= 2 {
                return stem.to_string();
            }
        }
    }
    k.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_what_entities_md_lists() {
        assert_eq!(key("أإآٱ"), "اااا");
        assert_eq!(key("مصطفى"), "مصطفي");
        assert_eq!(key("القاهرة"), "القاهره");
        assert_eq!(key("حلًّا"), "حلا");
        assert_eq!(key("بوتـــين"), "بوتين");
        assert_eq!(key("\u{200F}ترامب\u{2069}"), "ترامب");
        assert_eq!(key("فارسی کابل"), "فارسي كابل");
        assert_eq!(key("٢٠٢٥ ۱۹"), "2025 19");
        assert_eq!(key("Erdoğan Sánchez"), "erdogan sanchez");
        // Presentation forms fold through NFKC, and a combining hamza composes.
        assert_eq!(key("\u{FEEB}\u{FEE0}\u{FEE0}"), key("هلل"));
        assert_eq!(key("ا\u{0654}"), "ا");
    }

    #[test]
    fn offsets_map_back_over_diacritics_and_controls() {
        let text = "في أَنْكُورَاج\u{200F}،";
        let n = Normalized::new(text);
        let a = n.text.find("انكوراج").unwrap();
        let r = n.original(a, a + "انكوراج".len());
        assert_eq!(&text[r], "أَنْكُورَاج");
    }

    #[test]
    fn proclitics_follow_the_slots() {
        let readings = |s: &str| {
            let k = key(s);
            proclitics(&k)
                .into_iter()
                .map(|p| (k[p.strip..].to_string(), p.article))
                .collect::<Vec<_>>()
        };
        let has =
            |s: &str, rest: &str, article: bool| readings(s).contains(&(rest.to_string(), article));
        assert!(has("وواشنطن", "واشنطن", false));
        assert!(has("للجزائر", "جزائر", true));
        assert!(has("لوكالة", "وكاله", false));
        assert!(has("وبالقاهرة", "القاهره", false));
        assert!(has("وبالقاهرة", "قاهره", true));
        // Never more than one from a slot, never fewer than three letters left.
        assert!(!has("ووواشنطن", "واشنطن", false));
        assert!(readings("بلد").is_empty());
        // The article's ل of لل is shown as part of the name.
        let k = key("للجزائر");
        let p = proclitics(&k).into_iter().find(|p| p.article).unwrap();
        assert_eq!(&k[p.span_from..], "لجزائر");
    }

    #[test]
    fn nisba_and_country_stems() {
        assert_eq!(
            nisba_stem("الروسيه").map(|s| s.trim_start_matches("ال")),
            Some("روس")
        );
        assert_eq!(country_stem("روسيا"), "روس");
        assert_eq!(country_stem("الصين"), "صين");
        assert_eq!(country_stem("أوكرانيا"), "اوكران");
        assert_eq!(country_stem("ألمانيا"), "المان");
    }
}
