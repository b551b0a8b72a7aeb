// The page templates (kainjow mustache), loaded from web/templates/ once at
// start and parsed once. `{{> name}}` includes web/templates/partials/name.mustache;
// includes are expanded textually at load time, so a render never re-parses
// anything (kainjow would otherwise re-parse a partial on every use).
//
// Template names are paths under web/templates/ without ".mustache", e.g.
// "home" or "seller/dashboard". Values are HTML-escaped by mustache ({{x}});
// {{{x}}} is raw and reserved for markup the server built itself (JSON-LD).
//
// Thread-safety: a loaded TemplateSet is immutable except for a small pool of
// parsed copies per template; Render() may be called from any thread. (A
// kainjow template is not const while rendering, so each concurrent render
// borrows its own copy instead of sharing one.)
#pragma once

#include <cstddef>
#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace nongsan::web {

// Deepest chain of includes (a partial including a partial …); deeper is a loop.
inline constexpr int kMaxIncludeDepth = 8;
// Parsed copies kept per template for concurrent renders; more are made on
// demand and dropped after use.
inline constexpr std::size_t kMaxIdleCopiesPerTemplate = 16;

using MustacheData = kainjow::mustache::data;
using MustacheContext = kainjow::mustache::context<std::string>;

// JSON → mustache data. Objects and arrays map to objects and lists, strings
// stay strings (the empty string becomes false, so a section over a missing
// value is skipped), booleans stay booleans, null is false, numbers become
// their decimal text. A non-empty string (even "0") is truthy: use a boolean
// for a condition.
MustacheData ToMustache(const nlohmann::json& value);

class TemplateSet {
 public:
  // Loads every *.mustache under dir except partials/, expanding includes.
  static Result<std::unique_ptr<TemplateSet>> Load(const std::string& dir);
  // From in-memory sources (tests): pages and partials by name.
  static Result<std::unique_ptr<TemplateSet>> FromSources(const std::map<std::string, std::string>& pages,
                                                          const std::map<std::string, std::string>& partials);
  ~TemplateSet();

  bool Has(std::string_view name) const;
  // Renders a template against a context stack; NotFound if no such template.
  Result<std::string> Render(std::string_view name, MustacheContext& context) const;
  std::vector<std::string> Names() const;

 private:
  class Compiled;
  TemplateSet() = default;
  std::map<std::string, std::unique_ptr<Compiled>, std::less<>> pages_;
};

}  // namespace nongsan::web
