// The columns of one warning that write operations read and update, and helpers shared by the
// SqlStore source files. Internal to store/.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fz/common/status.h"
#include "fz/store/group_commit.h"
#include "fz/store/store.h"
#include "fz/workflow/plan.h"
#include "fz/workflow/sla.h"
#include "fz/workflow/state.h"

namespace fz::store {

struct WarningCore {
  int64_t id = 0;
  workflow::WarningState state = workflow::WarningState::kNew;
  std::string unit;
  std::string unit_path;
  model::WarningLevel level = model::WarningLevel::kYellow;
  uint16_t fraud_type = 0;
  absl::Time dispatched_at;
  bool was_dissuaded = false;
  bool first_contact_done = false;
  bool visited = false;
};

// NotFound when the warning does not exist.
StatusOr<WarningCore> LoadWarningCore(SqlConn& conn, int64_t id);
// The same, from the group's prefetched rows when the writer read it already.
StatusOr<WarningCore> LoadWarningCore(TxContext& tx, int64_t id);
// The rows LoadWarningCore(tx, id) takes, for a group's warnings in one statement
// (PostgreSQL; GroupCommitWriter::SetPrefetch).
StatusOr<std::map<int64_t, SqlRow>> PrefetchWarningCores(SqlConn& conn,
                                                         const std::vector<int64_t>& ids);

StatusOr<std::vector<workflow::SlaTimer>> LoadTimers(SqlConn& conn, int64_t warning_id);
Status UpsertTimer(SqlConn& conn, int64_t warning_id, const workflow::SlaTimer& t);
Status MeetClocks(TxContext& tx, int64_t warning_id, const std::vector<workflow::SlaClock>& clocks);
// `clocks` without those `w` shows are met already, so a transition skips a statement that
// would change nothing: the accept clock runs only while the warning waits in new/dispatched
// (every way out of them meets it; a re-route starts it again with the state dispatched), and
// first contact is met by the same statements that set first_contact_at.
std::vector<workflow::SlaClock> ClocksStillRunning(const WarningCore& w,
                                                   std::vector<workflow::SlaClock> clocks);
StatusOr<std::vector<workflow::StepRecord>> LoadStepHistory(SqlConn& conn, int64_t warning_id);

// Raises a warning to `level` (never lowers): level column, visit requirement and clocks.
Status RaiseLevel(TxContext& tx, const WarningCore& w, model::WarningLevel level,
                  const workflow::SlaConfig& sla);

// Sets first_contact_at (and its bucket) if not set yet, and meets the first-contact clock.
Status MarkFirstContact(TxContext& tx, const WarningCore& w);

// The columns ReadCase reads, in its order (after them a query may select more).
inline constexpr char kCaseColumns[] =
    "id, warning_id, unit, opened_at, victim_name, victim_phone, victim_id_no, loss_fen, "
    "fraud_type, after_dissuasion";
// A case row of kCaseColumns; the victim's name, phone and ID number masked unless `clear`.
workflow::CaseRecord ReadCase(const SqlRow& r, bool clear);

std::string WarningObject(int64_t id);  // "warning:42"

Status InsertRoute(TxContext& tx, int64_t warning_id, const workflow::Route& route,
                   const std::string& unit_path, const Actor& actor);
// Inserts a transition row; `*id` gets its id, or 0 when the request id was already recorded
// (nothing is written then).
Status InsertTransition(TxContext& tx, const std::string& request_id, int64_t warning_id,
                        workflow::WarningState from, workflow::WarningState to, const Actor& actor,
                        const std::string& unit, const std::string& note,
                        const TransitionEvidence& ev, int64_t* id);

// Records the path of every unit on `unit_path` (each prefix is an ancestor's path), so that
// a unit code given to a query can be turned into its subtree range.
Status RememberUnitPath(SqlConn& conn, const std::string& unit_path);

// The effects of → defrauded: 劝阻后发案 when the warning had been dissuaded, the follow-up's
// result, and the case with its pending indicators when the request carries case details.
Status OpenCase(TxContext& tx, const WarningCore& w, const TransitionRequest& request);

}  // namespace fz::store
