#include "fz/store/sql_conn.h"

#include <charconv>
#include <cstdlib>

namespace fz::store {
namespace {
const std::string kEmpty;
}  // namespace

const std::string& SqlRow::Str(size_t i) const { return cols_[i] ? *cols_[i] : kEmpty; }

int64_t SqlRow::Int(size_t i) const {
  if (!cols_[i]) return 0;
  const std::string& s = *cols_[i];
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) {
    // Aggregates over integer columns come back as "12.0" (SQLite) or numeric: round them.
    return static_cast<int64_t>(std::strtod(s.c_str(), nullptr));
  }
  return v;
}

double SqlRow::Double(size_t i) const {
  return cols_[i] ? std::strtod(cols_[i]->c_str(), nullptr) : 0;
}

std::optional<int64_t> SqlRow::OptInt(size_t i) const {
  if (!cols_[i]) return std::nullopt;
  return Int(i);
}

}  // namespace fz::store
