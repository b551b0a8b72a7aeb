#include "db/postgres/placeholders.hpp"

#include <algorithm>
#include <cctype>

namespace nongsan::db {
namespace {

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

// Length of a dollar-quote opener ($$ or $tag$) starting at i, or 0 if the
// `$` at i does not open one (e.g. it is a $1 parameter).
std::size_t DollarTagLength(std::string_view sql, std::size_t i) {
  if (i > 0 && IsIdentChar(sql[i - 1])) return 0;  // part of an identifier like a$b
  std::size_t j = i + 1;
  if (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) return 0;
  while (j < sql.size() && IsIdentChar(sql[j])) ++j;
  if (j < sql.size() && sql[j] == '$') return j - i + 1;
  return 0;
}

}  // namespace

RewrittenSql RewritePlaceholders(std::string_view sql) {
  RewrittenSql out;
  out.sql.reserve(sql.size() + 16);
  std::size_t i = 0;
  // Copies sql[i, end) verbatim and moves i past it.
  auto copy_to = [&](std::size_t end) {
    out.sql.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < sql.size()) {
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    if (c == '?') {
      out.sql += '$';
      out.sql += std::to_string(++out.parameter_count);
      ++i;
    } else if (c == '\'') {
      // E'…' strings treat backslash as an escape; standard strings do not.
      const bool escapes =
          i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !IsIdentChar(sql[i - 2]));
      std::size_t j = i + 1;
      while (j < sql.size()) {
        if (escapes && sql[j] == '\\') {
          j += 2;
        } else if (sql[j] == '\'') {
          if (j + 1 < sql.size() && sql[j + 1] == '\'') {
            j += 2;  // doubled quote inside the literal
          } else {
            ++j;
            break;
          }
        } else {
          ++j;
        }
      }
      copy_to(std::min(j, sql.size()));
    } else if (c == '"') {
      std::size_t j = i + 1;
      while (j < sql.size()) {
        if (sql[j] == '"') {
          if (j + 1 < sql.size() && sql[j + 1] == '"') {
            j += 2;
          } else {
            ++j;
            break;
          }
        } else {
          ++j;
        }
      }
      copy_to(std::min(j, sql.size()));
    } else if (c == '-' && next == '-') {
      std::size_t end = sql.find('\n', i);
      copy_to(end == std::string_view::npos ? sql.size() : end);
    } else if (c == '/' && next == '*') {
      int depth = 0;
      std::size_t j = i;
      while (j < sql.size()) {
        if (sql[j] == '/' && j + 1 < sql.size() && sql[j + 1] == '*') {
          ++depth;
          j += 2;
        } else if (sql[j] == '*' && j + 1 < sql.size() && sql[j + 1] == '/') {
          j += 2;
          if (--depth == 0) break;
        } else {
          ++j;
        }
      }
      copy_to(std::min(j, sql.size()));
    } else if (c == '$') {
      const std::size_t tag_len = DollarTagLength(sql, i);
      if (tag_len == 0) {
        copy_to(i + 1);
        continue;
      }
      const std::string_view tag = sql.substr(i, tag_len);
      const std::size_t close = sql.find(tag, i + tag_len);
      copy_to(close == std::string_view::npos ? sql.size() : close + tag_len);
    } else {
      out.sql += c;
      ++i;
    }
  }
  return out;
}

}  // namespace nongsan::db
