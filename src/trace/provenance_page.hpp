// The provenance page's HTML, written straight into the response body: a
// scan is the hottest page there is (one per pack opened, over a million lots,
// nearly all of them different), and building a JSON tree, converting it to
// mustache data and rendering a template cost several times the database
// read. So:
//  * WriteProvenanceBody appends the page's own markup (what
//    web/templates/trace/lot.mustache used to hold) to a string, escaping as
//    mustache does;
//  * ProvenanceShell is the site's layout (web/templates/partials/head and
//    foot, through web::Renderer, translations included) as an anonymous
//    visitor gets it, rendered once at start-up with marker values and cut
//    into pieces at the markers. Compose() joins the pieces with this page's
//    title, description, canonical path, sign-in return target, language
//    link and body. A page for someone signed in, with a cookie or in
//    another language goes through the Renderer with the same body (the
//    `trace/lot` template: head, body, foot), so both carry the same markup.
//
// Thread-safety: a built shell is immutable; all functions are reentrant.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "http/request.hpp"
#include "trace/provenance.hpp"

namespace nongsan::web {
class Renderer;
}

namespace nongsan::trace {

// A page's size, reserved up front (most are 4–7 KB).
inline constexpr std::size_t kProvenancePageReserve = 8192;
// The body's share of it (recall banner, facts, certificates, timeline).
inline constexpr std::size_t kProvenanceBodyReserve = kProvenancePageReserve / 2;

// The page's title and meta description.
std::string ProvenanceTitle(const Provenance& p);
std::string ProvenanceDescription(const Provenance& p);

// Appends the page's main content (recall banner, facts, certificates,
// timeline) to `out`, copying the context's pre-written parts.
void WriteProvenanceBody(const Provenance& p, std::string& out);

// The parts of the page that depend only on `c` (ContextHtml).
ContextHtml RenderContextHtml(const ProductContext& c);

// Appends `s` HTML-escaped as mustache's {{value}} does.
void AppendEscaped(std::string_view s, std::string& out);

class ProvenanceShell {
 public:
  // Renders the layout once through `renderer` (template trace/lot).
  static Result<ProvenanceShell> Build(const web::Renderer& renderer);

  // The whole page for `req` (anonymous, Vietnamese): the layout around
  // `body`, with `self_path` as the canonical path.
  std::string Compose(const http::Request& req, std::string_view title, std::string_view description,
                      std::string_view self_path, std::string_view body) const;
  // The same with `p`'s body (WriteProvenanceBody) written in place, so the
  // page is one string, not a body copied into it.
  std::string Compose(const http::Request& req, const Provenance& p, std::string_view self_path) const;

 private:
  enum class Slot { kTitle, kDescription, kCanonical, kNext, kLangSwitch, kBody, kEnd };
  struct Piece {
    std::string text;  // literal layout text before the slot
    Slot slot = Slot::kEnd;
  };
  // Appends the piece's slot; the body slot by `body`.
  template <typename WriteBody>
  std::string ComposeWith(const http::Request& req, std::string_view title, std::string_view description,
                          std::string_view self_path, std::size_t body_size, const WriteBody& body) const;

  std::vector<Piece> pieces_;
  std::size_t literal_size_ = 0;
};

}  // namespace nongsan::trace
