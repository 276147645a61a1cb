// Prints, as one JSON object on stdout, what generate.py needs from the npm packages:
// compromise's English lexicon (word -> tags) and i18n-iso-countries' English and Arabic
// names. Run by generate.sh with NODE_PATH pointing at .cache/entities/npm/node_modules.
'use strict';
const nlp = require('compromise');
const countries = require('i18n-iso-countries');

const lexicon = {};
for (const [word, tags] of Object.entries(nlp.model().one.lexicon)) {
  lexicon[word] = [].concat(tags);
}
const names = {};
for (const lang of ['en', 'ar']) {
  names[lang] = countries.getNames(lang, { select: 'all' });
}
process.stdout.write(JSON.stringify({ lexicon, countries: names }));
