// Rewrites the `?` placeholders of portable SQL into PostgreSQL's $1..$n.
// A `?` inside a string literal ('…', E'…' with backslash escapes, $tag$…$tag$),
// a quoted identifier ("…") or a comment (-- …, /* … */, nested) is left alone.
//
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <string_view>

namespace nongsan::db {

struct RewrittenSql {
  std::string sql;
  int parameter_count = 0;
};

RewrittenSql RewritePlaceholders(std::string_view sql);

}  // namespace nongsan::db
