// Translations for the web pages. Every user-visible string lives in
// web/i18n/<lang>.json (nested objects of strings); templates read them as
// {{t.section.key}} and handlers through Get()/Format(). Vietnamese is the
// default and the reference: a key missing from another language falls back
// to the Vietnamese text, so a page never shows a raw key to a buyer.
//
// Loaded once at start; read-only afterwards, so every method is thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>
#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/result.hpp"

namespace nongsan::web {

enum class Lang { kVi, kEn };
inline constexpr std::size_t kLangCount = 2;

// "vi" / "en".
std::string_view LangCode(Lang lang);
// Parses "vi"/"en" (case-insensitive, region suffix ignored: "en-US").
std::optional<Lang> ParseLang(std::string_view code);

class Translations {
 public:
  // Reads <dir>/vi.json and <dir>/en.json; vi.json must exist and be valid.
  static Result<Translations> Load(const std::string& dir);
  // From JSON documents directly (tests).
  static Result<Translations> FromJson(const nlohmann::json& vi, const nlohmann::json& en);

  // The text for a dotted key ("nav.home"); the key itself if no language has it.
  const std::string& Get(Lang lang, std::string_view key) const;
  // Get() with "{name}" placeholders replaced by the given values.
  std::string Format(Lang lang, std::string_view key,
                     std::initializer_list<std::pair<std::string_view, std::string>> args) const;
  bool Has(Lang lang, std::string_view key) const;

  // The whole table of one language as mustache data, built once at load.
  const kainjow::mustache::data& Data(Lang lang) const { return data_[static_cast<std::size_t>(lang)]; }
  // Dotted keys of a language (tests check that the languages agree).
  std::vector<std::string> Keys(Lang lang) const;

 private:
  using Table = std::unordered_map<std::string, std::string>;
  std::array<Table, kLangCount> tables_;
  std::array<kainjow::mustache::data, kLangCount> data_;
};

// Fills `placeholders` like "{count}" in text with values.
std::string FillPlaceholders(std::string_view text,
                             std::initializer_list<std::pair<std::string_view, std::string>> args);

}  // namespace nongsan::web
