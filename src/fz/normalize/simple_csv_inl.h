// Template implementation of ForEachCsvRow; include simple_csv.h instead.
#pragma once

#include "fz/common/str_cat.h"

namespace fz::normalize {

template <typename RowFn>
Status ForEachCsvRow(std::string_view text, std::string_view source, RowFn&& row) {
  size_t line_no = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 || line.empty()) continue;  // header, blank
    StatusOr<std::vector<std::string>> fields = SplitCsvRecord(line);
    Status status = fields.ok() ? row(line_no, *fields) : fields.status();
    if (!status.ok()) {
      return Status(status.code(), StrCat(source, ":", line_no, ": ", status.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace fz::normalize
