#include "http/multipart.hpp"

#include "http/encoding.hpp"

namespace nongsan::http {

namespace {

// The value of `key` in a header's parameters: boundary=..., name="...".
std::optional<std::string> HeaderParameter(std::string_view header, std::string_view key) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    std::size_t semi = header.find(';', pos);
    std::string_view item =
        header.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    std::size_t eq = item.find('=');
    if (eq != std::string_view::npos && EqualsIgnoreCase(item.substr(0, eq), key)) {
      std::string_view value = item.substr(eq + 1);
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      return std::string(value);
    }
    if (semi == std::string_view::npos) break;
    pos = semi + 1;
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<MultipartPart>> ParseMultipart(const http::Request& request) {
  const std::string content_type = request.Header("content-type").value_or("");
  if (!StartsWithIgnoreCase(content_type, "multipart/form-data")) {
    return Error::Invalid("expected a multipart/form-data body");
  }
  const auto boundary = HeaderParameter(content_type, "boundary");
  if (!boundary || boundary->empty()) return Error::Invalid("the multipart body has no boundary");
  const std::string delimiter = "--" + *boundary;
  const std::string_view body = request.body;
  std::vector<MultipartPart> parts;
  std::size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return Error::Invalid("the multipart body has no parts");
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") break;  // closing delimiter
    if (body.substr(pos, 2) == "\r\n") pos += 2;
    const std::size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return Error::Invalid("the multipart body is cut short");
    const std::size_t content_start = headers_end + 4;
    const std::size_t next = body.find("\r\n" + delimiter, content_start);
    if (next == std::string_view::npos) return Error::Invalid("the multipart body is cut short");
    if (parts.size() == kMaxMultipartParts) return Error::Invalid("the multipart body has too many parts");
    MultipartPart part;
    std::string_view headers = body.substr(pos, headers_end - pos);
    while (!headers.empty()) {
      std::size_t eol = headers.find("\r\n");
      std::string_view line = headers.substr(0, eol);
      std::size_t colon = line.find(':');
      if (colon != std::string_view::npos) {
        std::string_view name = line.substr(0, colon);
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        if (EqualsIgnoreCase(name, "content-disposition")) {
          part.name = HeaderParameter(value, "name").value_or("");
          part.filename = HeaderParameter(value, "filename").value_or("");
        } else if (EqualsIgnoreCase(name, "content-type")) {
          part.content_type = std::string(value);
        }
      }
      if (eol == std::string_view::npos) break;
      headers.remove_prefix(eol + 2);
    }
    part.data = body.substr(content_start, next - content_start);
    parts.push_back(std::move(part));
    pos = next + 2;
  }
  return parts;
}

const MultipartPart* FindPart(const std::vector<MultipartPart>& parts, std::string_view name) {
  for (const auto& part : parts) {
    if (part.name == name) return &part;
  }
  return nullptr;
}

}  // namespace nongsan::http
