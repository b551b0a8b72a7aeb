// multipart/form-data bodies (RFC 7578), as a phone's browser sends a form
// with a photo taken by the camera (<input type=file capture>) and as API
// clients upload a photo: the one parser for pages and the API. The parts are views into
// the request body, which must outlive them. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "http/request.hpp"

namespace nongsan::http {

// More parts than any form of ours has is a hostile body.
inline constexpr std::size_t kMaxMultipartParts = 64;

struct MultipartPart {
  std::string name;
  std::string filename;      // "" for a plain field
  std::string content_type;  // "" when not given
  std::string_view data;
};

// Parses the request body; kInvalid when it is not multipart/form-data or is
// malformed (no boundary, cut short, too many parts).
Result<std::vector<MultipartPart>> ParseMultipart(const http::Request& request);

// The first part with this name, or nullptr.
const MultipartPart* FindPart(const std::vector<MultipartPart>& parts, std::string_view name);

}  // namespace nongsan::http
