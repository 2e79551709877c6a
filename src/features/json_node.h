#pragma once
// Two read-only views of a JSON value with one interface, so the feature schema is written once
// and runs on either representation:
//   JsonNode  - a rumi::Json (nlohmann) value: the in-memory LoadedAnalysis path.
//   SimdNode  - a simdjson DOM element: the hot path that never builds a rumi::Json.
// Both must give bit-identical features, so SimdNode copies nlohmann's object semantics: a
// duplicated key means its LAST value, an object's size counts distinct keys, and members are
// visited in sorted key order. Numbers convert exactly as json_number_or_nan does.
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"
#include "features/json_values.h"

namespace rumi::features {

class JsonNode {
 public:
  JsonNode() = default;
  explicit JsonNode(const Json* v) : v_(v) {}

  explicit operator bool() const { return v_ != nullptr; }
  bool is_null() const { return v_ && v_->is_null(); }
  bool is_array() const { return v_ && v_->is_array(); }
  bool is_object() const { return v_ && v_->is_object(); }
  bool is_string() const { return v_ && v_->is_string(); }
  std::size_t size() const { return v_ ? v_->size() : 0; }
  bool empty() const { return !v_ || v_->empty(); }
  std::string_view str() const { return v_->get_ref<const std::string&>(); }
  std::string dump() const { return v_->dump(); }
  double number_or_nan() const { return json_number_or_nan(v_); }
  std::optional<std::pair<double, double>> time_span() const { return parse_time_span(v_); }

  // Member `key` of an object; an empty node otherwise.
  JsonNode get(std::string_view key) const {
    if (!is_object()) return {};
    auto it = v_->find(key);
    return it == v_->end() ? JsonNode() : JsonNode(&*it);
  }
  // "elementCounts.text": nested members, as json_at.
  JsonNode path(std::string_view dotted) const { return JsonNode(json_at(v_, dotted)); }

  class Iterator {
   public:
    explicit Iterator(Json::const_iterator it) : it_(it) {}
    JsonNode operator*() const { return JsonNode(&*it_); }
    Iterator& operator++() {
      ++it_;
      return *this;
    }
    bool operator!=(const Iterator& o) const { return it_ != o.it_; }

   private:
    Json::const_iterator it_;
  };
  struct Range {
    const Json* v;
    Iterator begin() const { return Iterator(v ? v->cbegin() : kEmpty().cbegin()); }
    Iterator end() const { return Iterator(v ? v->cend() : kEmpty().cend()); }
  };
  // The items of an array (nothing for anything else).
  Range items() const { return Range{is_array() ? v_ : nullptr}; }
  // (key, value) of an object in sorted key order, one entry per distinct key.
  std::vector<std::pair<std::string_view, JsonNode>> members() const {
    std::vector<std::pair<std::string_view, JsonNode>> out;
    if (!is_object()) return out;
    for (auto it = v_->cbegin(); it != v_->cend(); ++it) out.emplace_back(it.key(), JsonNode(&*it));
    return out;
  }

 private:
  static const Json& kEmpty() {
    static const Json empty = Json::array();
    return empty;
  }
  const Json* v_ = nullptr;
};

class SimdNode {
 public:
  SimdNode() = default;
  explicit SimdNode(simdjson::dom::element e) : e_(e), ok_(true) {}

  explicit operator bool() const { return ok_; }
  simdjson::dom::element element() const { return e_; }
  bool is(simdjson::dom::element_type t) const { return ok_ && e_.type() == t; }
  bool is_null() const { return is(simdjson::dom::element_type::NULL_VALUE); }
  bool is_array() const { return is(simdjson::dom::element_type::ARRAY); }
  bool is_object() const { return is(simdjson::dom::element_type::OBJECT); }
  bool is_string() const { return is(simdjson::dom::element_type::STRING); }
  std::size_t size() const {
    if (is_array()) return arr().size();
    if (!is_object()) return ok_ && !is_null() ? 1 : 0;  // as nlohmann: a scalar has size 1
    std::vector<std::string_view> keys;
    for (auto field : obj()) keys.push_back(field.key);
    std::sort(keys.begin(), keys.end());
    return static_cast<std::size_t>(std::unique(keys.begin(), keys.end()) - keys.begin());
  }
  bool empty() const {
    if (is_array()) return arr().size() == 0;
    if (is_object()) return obj().size() == 0;
    return !ok_ || is_null();
  }
  std::string_view str() const { return e_.get_string().value_unsafe(); }
  std::string dump() const { return ok_ ? simdjson::minify(e_) : std::string("null"); }

  double number_or_nan() const {
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    if (!ok_) return kNaN;
    using T = simdjson::dom::element_type;
    switch (e_.type()) {
      case T::INT64: return static_cast<double>(e_.get_int64().value_unsafe());
      case T::UINT64: return static_cast<double>(e_.get_uint64().value_unsafe());
      case T::DOUBLE: {
        const double d = e_.get_double().value_unsafe();
        return std::isfinite(d) ? d : kNaN;
      }
      case T::BOOL: return e_.get_bool().value_unsafe() ? 1.0 : 0.0;
      case T::STRING: return parse_number_text(str()).value_or(kNaN);
      case T::ARRAY: return empty() ? 0.0 : kNaN;
      default: return kNaN;
    }
  }
  std::optional<std::pair<double, double>> time_span() const {
    if (!ok_) return std::nullopt;
    using T = simdjson::dom::element_type;
    double d = 0;
    switch (e_.type()) {
      case T::INT64: d = static_cast<double>(e_.get_int64().value_unsafe()); break;
      case T::UINT64: d = static_cast<double>(e_.get_uint64().value_unsafe()); break;
      case T::DOUBLE: d = e_.get_double().value_unsafe(); break;
      case T::STRING: return parse_time_span(str());
      default: return std::nullopt;
    }
    if (!std::isfinite(d)) return std::nullopt;
    return std::pair{d, d};
  }

  // Member `key` of an object (the last one when the key repeats); an empty node otherwise.
  SimdNode get(std::string_view key) const {
    SimdNode found;
    if (!is_object()) return found;
    for (auto field : obj())
      if (field.key == key) found = SimdNode(field.value);
    return found;
  }
  SimdNode path(std::string_view dotted) const {
    SimdNode cur = *this;
    while (cur) {
      const auto dot = dotted.find('.');
      cur = cur.get(dotted.substr(0, dot));
      if (dot == std::string_view::npos) return cur;
      dotted.remove_prefix(dot + 1);
    }
    return cur;
  }

  class Iterator {
   public:
    explicit Iterator(simdjson::dom::array::iterator it) : it_(it) {}
    SimdNode operator*() const { return SimdNode(*it_); }
    Iterator& operator++() {
      ++it_;
      return *this;
    }
    bool operator!=(const Iterator& o) const { return it_ != o.it_; }

   private:
    simdjson::dom::array::iterator it_;
  };
  struct Range {
    simdjson::dom::array a;
    bool ok;
    Iterator begin() const { return Iterator(ok ? a.begin() : simdjson::dom::array::iterator()); }
    Iterator end() const { return Iterator(ok ? a.end() : simdjson::dom::array::iterator()); }
  };
  Range items() const {
    if (!is_array()) return Range{{}, false};
    return Range{arr(), true};
  }
  std::vector<std::pair<std::string_view, SimdNode>> members() const {
    std::vector<std::pair<std::string_view, SimdNode>> out;
    if (!is_object()) return out;
    for (auto field : obj()) out.emplace_back(field.key, SimdNode(field.value));
    // Sorted by key; of repeated keys the last one stays (stable sort keeps document order).
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::pair<std::string_view, SimdNode>> unique;
    for (std::size_t i = 0; i < out.size(); ++i)
      if (i + 1 == out.size() || out[i + 1].first != out[i].first) unique.push_back(out[i]);
    return unique;
  }

 private:
  // By value: value_unsafe() hands out a reference into a temporary simdjson_result.
  simdjson::dom::object obj() const { return simdjson::dom::object(e_.get_object().value_unsafe()); }
  simdjson::dom::array arr() const { return simdjson::dom::array(e_.get_array().value_unsafe()); }

  simdjson::dom::element e_;
  bool ok_ = false;
};

}  // namespace rumi::features
