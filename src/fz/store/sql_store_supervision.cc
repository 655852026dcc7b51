// SqlStore: 督办 reminders (催办) and the high-risk base's outreach list. Scope follows the
// other lists: a reader sees its own subtree, a city role everything.
#include "fz/common/str_cat.h"
#include "fz/store/sql_list_util.h"
#include "fz/store/sql_store.h"
#include "fz/workflow/lifecycle.h"

namespace fz::store {
namespace {

constexpr size_t kMaxReminderChars = 500;

constexpr char kReminderColumns[] =
    "id, warning_id, unit, unit_path, actor, role, actor_unit, at, message";

Reminder ReadReminder(const SqlRow& r) {
  Reminder m;
  m.id = r.Int(0);
  m.warning = model::WarningId(r.Int(1));
  m.unit = model::UnitCode(r.Str(2));
  m.unit_path = r.Str(3);
  m.actor = r.Str(4);
  m.role = workflow::ParseRole(r.Str(5)).value_or(workflow::Role::kSystem);
  m.actor_unit = model::UnitCode(r.Str(6));
  m.at = FromUs(r.Int(7));
  m.message = r.Str(8);
  return m;
}

std::optional<absl::Time> OptTime(const SqlRow& r, size_t i) {
  if (r.IsNull(i)) return std::nullopt;
  return FromUs(r.Int(i));
}

}  // namespace

StatusOr<Reminder> SqlStore::SendReminder(const ReminderRequest& request, const Actor& actor) {
  if (request.message.empty()) {
    return absl::InvalidArgumentError("message: a reminder needs a message");
  }
  if (static_cast<size_t>(Utf8Length(request.message)) > kMaxReminderChars) {
    return absl::InvalidArgumentError(
        StrCat("message: at most ", static_cast<int64_t>(kMaxReminderChars), " characters"));
  }
  Reminder out;
  FZ_RETURN_IF_ERROR(writer_.Run([&](TxContext& tx) -> Status {
    const int64_t id = request.warning.value();
    FZ_ASSIGN_OR_RETURN(
        SqlRows rows,
        tx.conn().Query("SELECT unit, unit_path, state FROM warnings WHERE id = $1", {id}));
    if (rows.empty()) return absl::NotFoundError(StrCat("warning ", id, " not found"));
    if (!workflow::InScope(actor, rows[0].Str(1))) {
      return absl::PermissionDeniedError(
          StrCat("warning ", id, " is outside ", actor.user, "'s unit ", actor.unit.value()));
    }
    if (rows[0].Str(2) == workflow::WarningStateName(workflow::WarningState::kClosed)) {
      return absl::FailedPreconditionError(StrCat("warning ", id, " is closed"));
    }
    out.warning = request.warning;
    out.unit = model::UnitCode(rows[0].Str(0));
    out.unit_path = rows[0].Str(1);
    out.actor = actor.user;
    out.role = actor.role;
    out.actor_unit = actor.unit;
    out.at = tx.now();
    out.message = request.message;
    FZ_ASSIGN_OR_RETURN(
        std::optional<int64_t> inserted,
        tx.conn().InsertId("INSERT INTO reminders (warning_id, unit, unit_path, actor, role, "
                           "actor_unit, at, message) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                           {id, out.unit.value(), out.unit_path, out.actor,
                            std::string(workflow::RoleName(out.role)), out.actor_unit.value(),
                            Us(out.at), out.message}));
    out.id = inserted.value_or(0);
    return tx.Audit(actor, "remind", StrCat("warning:", id),
                    StrCat("unit=", out.unit.value(), " ", out.message));
  }));
  return out;
}

StatusOr<ReminderPage> SqlStore::ListReminders(const ReminderFilter& f, const Actor& actor) {
  ReminderPage page;
  absl::MutexLock lock(&read_mu_);
  StatusOr<std::string> scope = ScopePath(f.unit, actor);
  if (absl::IsNotFound(scope.status())) return page;
  FZ_RETURN_IF_ERROR(scope.status());
  SqlParams p;
  std::string from = Param(p, *scope);
  std::string sql = StrCat("SELECT ", kReminderColumns, " FROM reminders WHERE unit_path >= ", from,
                           " AND unit_path < ", Param(p, SubtreeEnd(*scope)));
  if (f.warning) sql += " AND warning_id = " + Param(p, f.warning->value());
  sql += AfterCondition(p, "at", "id", f.after);
  int limit = ClampLimit(f.limit, 500);
  sql += " ORDER BY at DESC, id DESC LIMIT " + Param(p, int64_t{limit});
  FZ_ASSIGN_OR_RETURN(SqlRows rows, reader_->Query(sql, p));
  for (const SqlRow& r : rows) page.rows.push_back(ReadReminder(r));
  if (static_cast<int>(rows.size()) == limit) {
    page.next = TimeKey(page.rows.back().at, page.rows.back().id);
  }
  return page;
}

StatusOr<OutreachPage> SqlStore::ListOutreach(const PeopleFilter& f, const Actor& actor) {
  FZ_ASSIGN_OR_RETURN(PeoplePage people, ListPeople(f, actor));
  OutreachPage page;
  page.next = people.next;
  page.rows.reserve(people.rows.size());
  absl::MutexLock lock(&read_mu_);
  // One indexed query per person (a page is at most 1000): warnings by subject phone.
  const std::string sql =
      "SELECT COUNT(*), MAX(created_at), MAX(first_contact_at), MAX(visited_at) FROM warnings "
      "WHERE subject IN (SELECT phone FROM person_phones WHERE person_id = $1)";
  for (PersonRow& person : people.rows) {
    OutreachRow row;
    FZ_ASSIGN_OR_RETURN(SqlRows rows, reader_->Query(sql, {person.person.id.value()}));
    if (!rows.empty()) {
      row.warnings = rows[0].Int(0);
      row.last_warned = OptTime(rows[0], 1);
      row.last_reached = OptTime(rows[0], 2);
      row.last_visited = OptTime(rows[0], 3);
    }
    row.person = std::move(person);
    page.rows.push_back(std::move(row));
  }
  return page;
}

}  // namespace fz::store
