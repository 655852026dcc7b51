// Helpers for the list queries of sql_store_lists.cc, sql_store_intel.cc and
// sql_store_people.cc: numbered parameters, keyset conditions, prefixes. Internal to store/.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fz/common/str_cat.h"
#include "fz/store/sql_conn.h"
#include "fz/store/sql_util.h"
#include "fz/store/store_lists.h"

namespace fz::store {

// Appends `v` to `params` and returns its placeholder ("$3").
inline std::string Param(SqlParams& params, SqlValue v) {
  params.push_back(std::move(v));
  return StrCat("$", static_cast<int64_t>(params.size()));
}

// " AND <col> >= $a AND <col> < $b" for the bounds that are set.
inline std::string PeriodCondition(SqlParams& p, std::string_view column, absl::Time from,
                                   absl::Time to) {
  std::string sql;
  if (from != absl::InfinitePast()) sql += StrCat(" AND ", column, " >= ", Param(p, Us(from)));
  if (to != absl::InfiniteFuture()) sql += StrCat(" AND ", column, " < ", Param(p, Us(to)));
  return sql;
}

// Rows strictly after `after` in (time DESC, id DESC) order. The "<=" gives the index a range
// bound; the OR only settles ties.
inline std::string AfterCondition(SqlParams& p, std::string_view time_col, std::string_view id_col,
                                  const std::optional<TimeKey>& after) {
  if (!after) return "";
  std::string t = Param(p, Us(after->first));
  std::string t2 = Param(p, Us(after->first));
  return StrCat(" AND ", time_col, " <= ", t, " AND (", time_col, " < ", t2, " OR ", id_col, " < ",
                Param(p, after->second), ")");
}

// Characters (code points) of UTF-8 text: what substr() counts in both databases.
inline int64_t Utf8Length(std::string_view s) {
  return std::count_if(s.begin(), s.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// " AND substr(<col>, 1, n) = $p": a prefix test that needs no LIKE escaping and works
// whatever the column's collation.
inline std::string PrefixCondition(SqlParams& p, std::string_view column, std::string_view prefix) {
  if (prefix.empty()) return "";
  std::string n = Param(p, Utf8Length(prefix));
  return StrCat(" AND substr(", column, ", 1, ", n, ") = ", Param(p, std::string(prefix)));
}

// The non-empty pieces of `text` between `sep` (absl::StrSplit takes Debian's own
// absl::string_view, not std::string_view).
inline std::vector<std::string> SplitNonEmpty(std::string_view text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(sep, start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

inline int ClampLimit(int limit, int max) { return std::clamp(limit, 1, max); }

}  // namespace fz::store
