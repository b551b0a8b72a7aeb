#include "web/templates.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace nongsan::web {

namespace {

constexpr std::string_view kExtension = ".mustache";
constexpr std::string_view kPartialsDir = "partials";
constexpr std::string_view kIncludeOpen = "{{>";
constexpr std::string_view kTagClose = "}}";

std::string TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

Result<std::string> ExpandIncludes(std::string_view source,
                                   const std::map<std::string, std::string>& partials,
                                   const std::string& where, int depth) {
  if (depth > kMaxIncludeDepth) return Error::Invalid("templates: includes nested too deeply in " + where);
  std::string out;
  out.reserve(source.size());
  std::size_t pos = 0;
  while (true) {
    std::size_t open = source.find(kIncludeOpen, pos);
    if (open == std::string_view::npos) {
      out.append(source.substr(pos));
      break;
    }
    std::size_t close = source.find(kTagClose, open + kIncludeOpen.size());
    if (close == std::string_view::npos) return Error::Invalid("templates: unclosed include in " + where);
    out.append(source.substr(pos, open - pos));
    std::string name =
        TrimSpaces(source.substr(open + kIncludeOpen.size(), close - open - kIncludeOpen.size()));
    auto it = partials.find(name);
    if (it == partials.end())
      return Error::Invalid("templates: " + where + " includes unknown partial " + name);
    TRY_ASSIGN(std::string expanded, ExpandIncludes(it->second, partials, "partial " + name, depth + 1));
    out += expanded;
    pos = close + kTagClose.size();
  }
  return out;
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Invalid("cannot read " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

namespace {

MustacheData Leaf(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::string:
      // An empty string is false: {{x}} renders nothing either way, and
      // {{#x}}…{{/x}} then skips a missing optional value, as in other
      // mustache implementations (kainjow treats every string as true).
      if (value.get_ref<const std::string&>().empty()) return MustacheData{false};
      return MustacheData{value.get_ref<const std::string&>()};
    case nlohmann::json::value_t::boolean:
      return MustacheData{value.get<bool>()};
    case nlohmann::json::value_t::number_integer:
      return MustacheData{std::to_string(value.get<std::int64_t>())};
    case nlohmann::json::value_t::number_unsigned:
      return MustacheData{std::to_string(value.get<std::uint64_t>())};
    case nlohmann::json::value_t::number_float:
      return MustacheData{value.dump()};
    case nlohmann::json::value_t::object:
      return MustacheData{MustacheData::type::object};
    case nlohmann::json::value_t::array:
      return MustacheData{MustacheData::type::list};
    default:
      return MustacheData{false};
  }
}

// kainjow's set()/push_back() copy their argument deeply, so containers are
// inserted empty and filled in place: conversion stays linear in the size of
// the page data, which matters for the per-request render budget.
void Fill(const nlohmann::json& value, MustacheData& out) {
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      out.set(key, Leaf(item));
      if (item.is_structured()) Fill(item, const_cast<MustacheData&>(*out.get(key)));
    }
  } else if (value.is_array()) {
    for (const auto& item : value) {
      out.push_back(Leaf(item));
      if (item.is_structured()) Fill(item, const_cast<MustacheData&>(out.list_value().back()));
    }
  }
}

}  // namespace

MustacheData ToMustache(const nlohmann::json& value) {
  MustacheData out = Leaf(value);
  Fill(value, out);
  return out;
}

// One parsed template plus idle copies for concurrent renders.
class TemplateSet::Compiled {
 public:
  explicit Compiled(const std::string& source) : prototype_(source) {}

  bool valid() const { return prototype_.is_valid(); }
  const std::string& error() const { return prototype_.error_message(); }

  Result<std::string> Render(MustacheContext& context) const {
    std::unique_ptr<kainjow::mustache::mustache> copy = Borrow();
    std::string out = copy->render(context);
    if (!copy->is_valid()) return Error::Internal("template render failed: " + copy->error_message());
    Return(std::move(copy));
    return out;
  }

 private:
  std::unique_ptr<kainjow::mustache::mustache> Borrow() const {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        auto copy = std::move(idle_.back());
        idle_.pop_back();
        return copy;
      }
    }
    return std::make_unique<kainjow::mustache::mustache>(prototype_);
  }

  void Return(std::unique_ptr<kainjow::mustache::mustache> copy) const {
    std::lock_guard lock(mutex_);
    if (idle_.size() < kMaxIdleCopiesPerTemplate) idle_.push_back(std::move(copy));
  }

  const kainjow::mustache::mustache prototype_;
  mutable std::mutex mutex_;
  mutable std::vector<std::unique_ptr<kainjow::mustache::mustache>> idle_;
};

TemplateSet::~TemplateSet() = default;

Result<std::unique_ptr<TemplateSet>> TemplateSet::Load(const std::string& dir) {
  namespace fs = std::filesystem;
  std::map<std::string, std::string> pages;
  std::map<std::string, std::string> partials;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Error::Invalid("templates: no directory " + dir);
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); ++it) {
    if (!it->is_regular_file()) continue;
    const fs::path& path = it->path();
    if (path.extension() != kExtension) continue;
    std::string relative = fs::relative(path, dir).replace_extension().generic_string();
    TRY_ASSIGN(std::string source, ReadFile(path));
    std::string partial_prefix = std::string(kPartialsDir) + "/";
    if (relative.starts_with(partial_prefix)) {
      partials[relative.substr(partial_prefix.size())] = std::move(source);
    } else {
      pages[relative] = std::move(source);
    }
  }
  if (ec) return Error::Invalid("templates: cannot list " + dir + ": " + ec.message());
  return FromSources(pages, partials);
}

Result<std::unique_ptr<TemplateSet>> TemplateSet::FromSources(
    const std::map<std::string, std::string>& pages, const std::map<std::string, std::string>& partials) {
  std::unique_ptr<TemplateSet> set(new TemplateSet());
  for (const auto& [name, source] : pages) {
    TRY_ASSIGN(std::string expanded, ExpandIncludes(source, partials, name, 0));
    auto compiled = std::make_unique<Compiled>(expanded);
    if (!compiled->valid()) return Error::Invalid("templates: " + name + ": " + compiled->error());
    set->pages_.emplace(name, std::move(compiled));
  }
  return set;
}

bool TemplateSet::Has(std::string_view name) const { return pages_.find(name) != pages_.end(); }

Result<std::string> TemplateSet::Render(std::string_view name, MustacheContext& context) const {
  auto it = pages_.find(name);
  if (it == pages_.end()) return Error::NotFound("template " + std::string(name));
  return it->second->Render(context);
}

std::vector<std::string> TemplateSet::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, _] : pages_) names.push_back(name);
  return names;
}

}  // namespace nongsan::web
