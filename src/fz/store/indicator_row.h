// Writing intelligence indicators inside a writer transaction: shared by the indicator
// methods (sql_store_intel.cc) and the confirmation of a pending indicator
// (sql_store_ops.cc), which must land in the same transaction. Internal to store/.
#pragma once

#include <vector>

#include "fz/common/status.h"
#include "fz/model/indicator.h"
#include "fz/store/group_commit.h"
#include "fz/store/store_lists.h"

namespace fz::store {

// The canonical value of `indicator` (intel::IntelStore::CanonicalValue) with its confidence
// checked; the error names `where` ("indicators[3]").
StatusOr<model::Indicator> CanonicalIndicator(const model::Indicator& indicator,
                                              std::string_view where);

// Inserts or updates canonical indicators by (kind, value); a whitelisted value stays
// whitelisted. Adds to `*result`. Does not audit: callers do.
Status UpsertIndicatorRows(TxContext& tx, const std::vector<model::Indicator>& indicators,
                           const std::string& added_by, IndicatorUpsertResult* result);

}  // namespace fz::store
