#pragma once
// Flesch reading ease of report text (issue 18 point 10): 206.835 - 1.015 * (words / sentences)
// - 84.6 * (syllables / words). 60-70 is plain English (a creator reads it at a glance), 50-60
// fairly difficult, 30-50 difficult (typical of business reports); the tests hold the creator
// briefs to >= 60 and the client report to >= 45.
//
// How text is counted (the same rules for every report, so scores compare):
//  * Blocks: the text is split at line breaks; each block is a paragraph, a bullet or a heading
//    (FlowLayout::plain_text gives one block per line). A block ends a sentence even without a
//    full stop, since a heading or a bullet is read as a unit.
//  * Sentences: inside a block, '.', '!' or '?' followed by a space (or the block's end) ends a
//    sentence; "7.8" does not, nor do the abbreviations "e.g.", "i.e." and "vs.".
//  * Words: whitespace-separated tokens with at least one letter or digit; links (with "://",
//    "www." or an '@') are skipped, a reader does not read them. A token with a digit ("7.8",
//    "+34", "2.1x") counts as one word of two syllables (a number is read as a couple of
//    syllables: "seven eight", "thirty-four").
//  * Syllables: count_syllables below.
#include <string>
#include <string_view>

namespace rumi::report {

// Heuristic English syllable count of one word (letters only are looked at, case ignored):
//  1. words of 3 letters or fewer have 1 syllable;
//  2. otherwise count groups of consecutive vowels (a e i o u, and y when not the first letter);
//  3. a final silent "e" does not count ("make", "time"), except after a consonant + "l"
//     ("table", "simple"), or in "ee"/"ie"/"ye" endings ("free");
//  4. a final "es" or "ed" does not add a syllable ("makes", "filmed") except after s, x, z, c,
//     g, ch, sh ("boxes", "places") for "es", or after t, d ("wanted", "needed") for "ed";
//  5. at least 1.
// It is exact on most common words and off by one on some ("video" 2 for 3, "create" 1 for 2);
// such misses go both ways and move a page's score by a few points at most.
int count_syllables(std::string_view word);

struct Readability {
  int sentences = 0, words = 0, syllables = 0;
  double flesch = 0;  // 0 when there are no words
};

Readability measure_readability(std::string_view text);

}  // namespace rumi::report
