#include "web/i18n.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "web/templates.hpp"

namespace nongsan::web {

namespace {

// Flattens {"nav": {"home": "…"}} into {"nav.home": "…"}; only strings and
// objects are allowed so that a typo in a translation file fails at start.
Status Flatten(const nlohmann::json& node, const std::string& prefix,
               std::unordered_map<std::string, std::string>& out) {
  if (!node.is_object()) return Error::Invalid("translations: " + prefix + " is not an object");
  for (const auto& [key, value] : node.items()) {
    std::string full = prefix.empty() ? key : prefix + "." + key;
    if (value.is_string()) {
      out[full] = value.get<std::string>();
    } else if (value.is_object()) {
      TRY(Flatten(value, full, out));
    } else {
      return Error::Invalid("translations: " + full + " must be a string or an object");
    }
  }
  return Ok{};
}

// Overlays `over` on `base` (both nested objects): missing keys keep base.
nlohmann::json Overlay(nlohmann::json base, const nlohmann::json& over) {
  if (!over.is_object()) return base;
  for (const auto& [key, value] : over.items()) {
    if (value.is_object() && base.contains(key) && base[key].is_object()) {
      base[key] = Overlay(base[key], value);
    } else {
      base[key] = value;
    }
  }
  return base;
}

Result<nlohmann::json> ReadJsonFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Invalid("cannot read " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto parsed = nlohmann::json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Error::Invalid(path.string() + " is not valid JSON");
  return parsed;
}

}  // namespace

std::string_view LangCode(Lang lang) { return lang == Lang::kEn ? "en" : "vi"; }

std::optional<Lang> ParseLang(std::string_view code) {
  if (code.size() < 2) return std::nullopt;
  if (code.size() > 2 && code[2] != '-' && code[2] != '_') return std::nullopt;
  auto lower = [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); };
  std::string head{lower(code[0]), lower(code[1])};
  if (head == "vi") return Lang::kVi;
  if (head == "en") return Lang::kEn;
  return std::nullopt;
}

Result<Translations> Translations::Load(const std::string& dir) {
  namespace fs = std::filesystem;
  TRY_ASSIGN(auto vi, ReadJsonFile(fs::path(dir) / "vi.json"));
  nlohmann::json en = nlohmann::json::object();
  if (fs::exists(fs::path(dir) / "en.json")) {
    TRY_ASSIGN(en, ReadJsonFile(fs::path(dir) / "en.json"));
  }
  return FromJson(vi, en);
}

Result<Translations> Translations::FromJson(const nlohmann::json& vi, const nlohmann::json& en) {
  Translations t;
  const nlohmann::json en_full = Overlay(vi, en);
  TRY(Flatten(vi, "", t.tables_[static_cast<std::size_t>(Lang::kVi)]));
  TRY(Flatten(en_full, "", t.tables_[static_cast<std::size_t>(Lang::kEn)]));
  // Templates address the nested form ({{t.nav.home}}), so it is converted as is.
  t.data_[static_cast<std::size_t>(Lang::kVi)] = ToMustache(vi);
  t.data_[static_cast<std::size_t>(Lang::kEn)] = ToMustache(en_full);
  // Keys in en.json that Vietnamese lacks are a mistake in the files.
  std::unordered_map<std::string, std::string> en_only;
  TRY(Flatten(en.is_object() ? en : nlohmann::json::object(), "", en_only));
  for (const auto& [key, _] : en_only) {
    if (!t.tables_[static_cast<std::size_t>(Lang::kVi)].contains(key)) {
      return Error::Invalid("translations: en.json has " + key + " which vi.json lacks");
    }
  }
  return t;
}

const std::string& Translations::Get(Lang lang, std::string_view key) const {
  const auto& table = tables_[static_cast<std::size_t>(lang)];
  if (auto it = table.find(std::string(key)); it != table.end()) return it->second;
  const auto& vi = tables_[static_cast<std::size_t>(Lang::kVi)];
  if (auto it = vi.find(std::string(key)); it != vi.end()) return it->second;
  // Unknown keys are remembered so the reference stays valid; this only
  // happens for a programming mistake, which the translation tests catch.
  thread_local std::unordered_map<std::string, std::string> missing;
  return missing.try_emplace(std::string(key), std::string(key)).first->second;
}

bool Translations::Has(Lang lang, std::string_view key) const {
  return tables_[static_cast<std::size_t>(lang)].contains(std::string(key));
}

std::string Translations::Format(Lang lang, std::string_view key,
                                 std::initializer_list<std::pair<std::string_view, std::string>> args) const {
  return FillPlaceholders(Get(lang, key), args);
}

std::vector<std::string> Translations::Keys(Lang lang) const {
  std::vector<std::string> keys;
  for (const auto& [key, _] : tables_[static_cast<std::size_t>(lang)]) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::string FillPlaceholders(std::string_view text,
                             std::initializer_list<std::pair<std::string_view, std::string>> args) {
  std::string out;
  out.reserve(text.size() + 16);
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      std::size_t close = text.find('}', i + 1);
      if (close != std::string_view::npos) {
        std::string_view name = text.substr(i + 1, close - i - 1);
        bool replaced = false;
        for (const auto& [arg_name, value] : args) {
          if (arg_name == name) {
            out += value;
            replaced = true;
            break;
          }
        }
        if (replaced) {
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace nongsan::web
