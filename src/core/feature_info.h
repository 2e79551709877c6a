#pragma once
// What downstream stages (stats, insights, reports) need to know about a feature without
// depending on the feature extractor: its kind, where it comes from, and how to say it in words.
//
// How a feature is said (docs/reporting.md): reports speak of creative elements, and each
// element is said through its representative column's FeaturePhrase. A phrase has a kind
// (timing, count, rate, share, presence, category, level), a natural unit for its typical values,
// one predicate per direction ("show the first on-screen text sooner" / "... later"), and one
// filmable creator instruction per direction ("Put the first text on screen within {top}"), or
// none, which marks that direction not for creators: a brief never asks a creator for "higher
// detection confidence" or "lower variation of on-screen activity".
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rumi {

enum class FeatureKind { numeric, flag, onehot, temporal, derived };
std::string_view feature_kind_name(FeatureKind k);

// How an element is said. The kind decides the default wording; the unit decides how its typical
// values print.
enum class PhraseKind { timing, count, rate, share, presence, category, level };
std::string_view phrase_kind_name(PhraseKind k);

enum class Unit {
  none,              // a plain number, two decimals ("0.62")
  seconds,           // "0.8 s", "12 s"
  video_share,       // a moment as a fraction of the video's length: 0.05 -> "5 % into the video"
  fraction,          // any 0-1 share: 0.35 -> "35 %"
  count,             // "6"
  per_second,        // "0.4 per second"
  per_minute,        // "12 per minute"
  words_per_minute,  // "150 words per minute"
  score,             // an analyzer's 0-1 index: "0.62 on a 0-1 scale"
  characters,        // "120 characters"
  words,             // "18 words"
  hour_utc,          // "14:00 UTC"
  weekday,           // 0 -> "Monday"
};
std::string_view unit_name(Unit u);

// Where in the video an element belongs; the shot list puts hook items in the hook only.
// `post` is not in the video at all: the caption, hashtags and posting time.
enum class VideoPart { whole, hook, body, cta, post };
std::string_view video_part_name(VideoPart p);

struct FeaturePhrase {
  PhraseKind kind = PhraseKind::level;
  Unit unit = Unit::none;
  VideoPart part = VideoPart::whole;
  // Predicates about videos, plural present tense, each starting with a verb, no units and no
  // parentheses: `more` for the higher / with side, `less` for the lower / without side.
  // "Top videos " + more reads as a sentence, and so does "Videos that " + less.
  std::string more;
  std::string less;
  // Filmable creator instructions, imperative, per direction. "{top}" is replaced by the top
  // videos' typical value in the natural unit ("within {top}" -> "within 0.8 s"). Empty = this
  // direction cannot be filmed honestly: the element is not offered to creators that way.
  std::string do_more;
  std::string do_less;
};

struct FeatureInfo {
  FeatureInfo() = default;
  // The five identifying fields, as older code brace-initialises them; `say` defaults.
  FeatureInfo(std::string n, std::string src, FeatureKind k, std::string ph, std::string grp, FeaturePhrase s = {})
      : name(std::move(n)),
        source(std::move(src)),
        kind(k),
        phrase(std::move(ph)),
        group(std::move(grp)),
        say(std::move(s)) {}
  std::string name;    // stable catalog name, e.g. "overlay.hook_text_3s"
  std::string source;  // flow.Block.key path into the RumiAI output
  FeatureKind kind = FeatureKind::numeric;
  // The element's human name, a lower-case noun phrase without units or parentheses
  // ("time to the first on-screen text"); titles capitalise it.
  std::string phrase;
  std::string group;  // one-hot group (the enum's source key) for chi-square tests; empty otherwise
  FeaturePhrase say;  // how reports say it (above)
};

// The predicate for one side of an element: `more_side` is true for the higher / with side
// (higher_is_better, present_is_better). A bool, so core does not depend on core/pattern.h.
const std::string& predicate(const FeatureInfo& f, bool more_side);
// The creator instruction template for that side ("" = not for creators that way).
const std::string& instruction_template(const FeatureInfo& f, bool more_side);
bool for_creators(const FeatureInfo& f, bool more_side);
// Fills "{top}" in an instruction with `value_text` ("within {top}" -> "within 0.8 s"). With an
// empty value_text the placeholder goes together with the preposition before it ("Put the first
// text on screen within {top}" -> "Put the first text on screen"), so the line still reads.
std::string fill_instruction(std::string_view tmpl, std::string_view value_text);

// A typical value in the element's natural unit: seconds "0.8 s", shares "35 %", counts "6".
// Non-finite -> "n/a".
std::string format_value(Unit u, double v);

}  // namespace rumi
