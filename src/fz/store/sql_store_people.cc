// SqlStore: the high-risk people base (高危易受骗群体库) and the registered unit paths that
// place people (and list roots) in the unit tree.
#include "absl/strings/str_join.h"
#include "fz/common/str_cat.h"
#include "fz/store/sql_list_util.h"
#include "fz/store/sql_store.h"
#include "fz/store/warning_row.h"
#include "fz/workflow/lifecycle.h"
#include "fz/workflow/mask.h"

namespace fz::store {
namespace {

constexpr char kColumns[] =
    "person_id, name, id_no, phones, address, unit_code, unit_path, tags, updated_at, updated_by";

// Lists are stored ",a,b," so that one exact item is a plain substring ",a,".
std::string JoinList(const std::vector<std::string>& items) {
  return items.empty() ? "" : StrCat(",", absl::StrJoin(items, ","), ",");
}
std::vector<std::string> SplitList(std::string_view text) { return SplitNonEmpty(text, ','); }

std::vector<std::string> PhoneTexts(const model::Person& p) {
  std::vector<std::string> out;
  for (const model::PhoneNumber& n : p.phones) out.push_back(n.value());
  return out;
}

// The district part of an address is kept (first 6 characters), the rest hidden.
std::string MaskAddress(std::string_view address) {
  size_t chars = 0, i = 0;
  for (; i < address.size(); ++i) {
    if ((static_cast<unsigned char>(address[i]) & 0xC0) != 0x80 && chars++ == 6) break;
  }
  return i < address.size() ? StrCat(address.substr(0, i), "***") : std::string(address);
}

PersonRow ReadPerson(const SqlRow& r, bool clear) {
  PersonRow row;
  model::Person& p = row.person;
  p.id = model::PersonId(r.Str(0));
  p.name = clear ? r.Str(1) : workflow::MaskName(r.Str(1));
  p.id_no = clear || r.Str(2).empty() ? r.Str(2) : workflow::MaskIdNo(r.Str(2));
  for (const std::string& phone : SplitList(r.Str(3))) {
    p.phones.emplace_back(clear ? phone : workflow::MaskPhone(phone));
  }
  p.address = clear ? r.Str(4) : MaskAddress(r.Str(4));
  p.unit = model::UnitCode(r.Str(5));
  row.unit_path = r.Str(6);
  p.tags = SplitList(r.Str(7));
  row.updated_at = FromUs(r.Int(8));
  row.updated_by = r.Str(9);
  return row;
}

Status CheckListItems(const std::vector<std::string>& items, std::string_view where,
                      std::string_view field) {
  for (const std::string& item : items) {
    if (item.empty() || item.find(',') != std::string::npos) {
      return absl::InvalidArgumentError(
          StrCat(where, ": ", field, " '", item, "' must be non-empty and without ','"));
    }
  }
  return absl::OkStatus();
}

std::string_view Clarity(bool clear) { return clear ? "unmasked" : "masked"; }

}  // namespace

Status SqlStore::RegisterUnitPaths(const std::vector<std::string>& unit_paths) {
  for (const std::string& path : unit_paths) {
    if (path.size() < 3 || path.front() != '/' || path.back() != '/' ||
        path.find("//") != std::string::npos) {
      return absl::InvalidArgumentError(
          StrCat("unit path '", path, "' is not of the form /city/district/.../"));
    }
  }
  return writer_.Run([&](TxContext& tx) -> Status {
    for (const std::string& path : unit_paths)
      FZ_RETURN_IF_ERROR(RememberUnitPath(tx.conn(), path));
    return absl::OkStatus();
  });
}

StatusOr<PeopleUpsertResult> SqlStore::UpsertPeople(const std::vector<model::Person>& people,
                                                    const Actor& actor) {
  for (size_t i = 0; i < people.size(); ++i) {
    const model::Person& p = people[i];
    std::string where = StrCat("people[", i, "] (person '", p.id.value(), "')");
    if (p.id.value().empty())
      return absl::InvalidArgumentError(StrCat(where, ": person_id is empty"));
    if (p.unit.value().empty())
      return absl::InvalidArgumentError(StrCat(where, ": unit_code is empty"));
    FZ_RETURN_IF_ERROR(CheckListItems(PhoneTexts(p), where, "phone"));
    FZ_RETURN_IF_ERROR(CheckListItems(p.tags, where, "tag"));
  }
  PeopleUpsertResult result;
  FZ_RETURN_IF_ERROR(writer_.Run([&](TxContext& tx) -> Status {
    result = PeopleUpsertResult();
    for (size_t i = 0; i < people.size(); ++i) {
      const model::Person& p = people[i];
      std::string where = StrCat("people[", i, "] (person '", p.id.value(), "')");
      FZ_ASSIGN_OR_RETURN(SqlRows paths, tx.conn().Query("SELECT path FROM unit_paths WHERE "
                                                         "code = $1",
                                                         {p.unit.value()}));
      if (paths.empty()) {
        return absl::InvalidArgumentError(
            StrCat(where, ": unit ", p.unit.value(), " is not a registered unit"));
      }
      std::string path = paths[0].Str(0);
      if (!workflow::InScope(actor, path)) {
        return absl::PermissionDeniedError(StrCat(where, ": unit ", p.unit.value(), " is outside ",
                                                  actor.user, "'s unit ", actor.unit.value()));
      }
      FZ_ASSIGN_OR_RETURN(SqlRows old, tx.conn().Query(StrCat("SELECT ", kColumns,
                                                              " FROM people WHERE person_id = $1"),
                                                       {p.id.value()}));
      std::string phones = JoinList(PhoneTexts(p)), tags = JoinList(p.tags);
      SqlParams values = {p.id.value(),   p.name, p.id_no, phones,       p.address,
                          p.unit.value(), path,   tags,    Us(tx.now()), actor.user};
      std::string object = StrCat("person:", p.id.value());
      if (old.empty()) {
        FZ_RETURN_IF_ERROR(tx.conn()
                               .Exec(StrCat("INSERT INTO people (", kColumns,
                                            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"),
                                     values)
                               .status());
        ++result.inserted;
        FZ_RETURN_IF_ERROR(
            tx.Audit(actor, "person_insert", object, StrCat("unit=", p.unit.value())));
        continue;
      }
      const SqlRow& o = old[0];
      if (!workflow::InScope(actor, o.Str(6))) {
        return absl::PermissionDeniedError(
            StrCat(where, ": currently in unit ", o.Str(5), ", outside ", actor.user, "'s unit"));
      }
      if (o.Str(1) == p.name && o.Str(2) == p.id_no && o.Str(3) == phones &&
          o.Str(4) == p.address && o.Str(6) == path && o.Str(7) == tags) {
        ++result.unchanged;
        continue;
      }
      FZ_RETURN_IF_ERROR(tx.conn()
                             .Exec("UPDATE people SET name = $2, id_no = $3, phones = $4, "
                                   "address = $5, unit_code = $6, unit_path = $7, tags = $8, "
                                   "updated_at = $9, updated_by = $10 WHERE person_id = $1",
                                   values)
                             .status());
      ++result.updated;
      FZ_RETURN_IF_ERROR(tx.Audit(actor, "person_update", object,
                                  StrCat("unit=", o.Str(5), "->", p.unit.value())));
    }
    return absl::OkStatus();
  }));
  return result;
}

StatusOr<PeoplePage> SqlStore::ListPeople(const PeopleFilter& f, const Actor& actor) {
  PeoplePage page;
  std::string path;
  bool clear = workflow::RoleSeesPersonalData(actor.role);
  {
    absl::MutexLock lock(&read_mu_);
    StatusOr<std::string> scope = ScopePath(f.unit, actor);
    if (absl::IsNotFound(scope.status())) return page;
    FZ_RETURN_IF_ERROR(scope.status());
    path = *scope;
    SqlParams p;
    std::string from = Param(p, path);
    std::string sql = StrCat("SELECT ", kColumns, " FROM people WHERE unit_path >= ", from,
                             " AND unit_path < ", Param(p, SubtreeEnd(path)));
    // A substring test on the ",a,b," lists: instr() in SQLite, strpos() in PostgreSQL.
    std::string find = reader_->dialect() == Dialect::kSqlite ? "instr" : "strpos";
    if (!f.tag.empty())
      sql += StrCat(" AND ", find, "(tags, ", Param(p, StrCat(",", f.tag, ",")), ") > 0");
    if (!f.phone.empty()) {
      sql += StrCat(" AND ", find, "(phones, ", Param(p, StrCat(",", f.phone, ",")), ") > 0");
    }
    if (!f.id_no.empty()) sql += " AND id_no = " + Param(p, f.id_no);
    if (!f.name.empty()) sql += " AND name = " + Param(p, f.name);
    if (f.after) sql += " AND person_id > " + Param(p, *f.after);
    int limit = ClampLimit(f.limit, 1000);
    sql += " ORDER BY person_id LIMIT " + Param(p, int64_t{limit});
    FZ_ASSIGN_OR_RETURN(SqlRows rows, reader_->Query(sql, p));
    for (const SqlRow& r : rows) page.rows.push_back(ReadPerson(r, clear));
    if (static_cast<int>(rows.size()) == limit) page.next = page.rows.back().person.id.value();
  }
  FZ_RETURN_IF_ERROR(
      AuditRead(actor, "list", StrCat("people:", workflow::UnitOfPath(path)),
                StrCat("rows=", static_cast<int64_t>(page.rows.size()), " ", Clarity(clear))));
  return page;
}

StatusOr<PersonRow> SqlStore::GetPerson(const model::PersonId& id, const Actor& actor) {
  PersonRow row;
  bool clear = workflow::RoleSeesPersonalData(actor.role);
  {
    absl::MutexLock lock(&read_mu_);
    FZ_ASSIGN_OR_RETURN(SqlRows rows, reader_->Query(StrCat("SELECT ", kColumns,
                                                            " FROM people WHERE person_id = $1"),
                                                     {id.value()}));
    if (rows.empty()) return absl::NotFoundError(StrCat("person '", id.value(), "' not found"));
    if (!workflow::InScope(actor, rows[0].Str(6))) {
      return absl::PermissionDeniedError(StrCat("person '", id.value(), "' is outside ", actor.user,
                                                "'s unit ", actor.unit.value()));
    }
    row = ReadPerson(rows[0], clear);
  }
  FZ_RETURN_IF_ERROR(AuditRead(actor, "read", StrCat("person:", id.value()), Clarity(clear)));
  return row;
}

StatusOr<bool> SqlStore::DeletePerson(const model::PersonId& id, const Actor& actor) {
  bool deleted = false;
  FZ_RETURN_IF_ERROR(writer_.Run([&](TxContext& tx) -> Status {
    deleted = false;
    FZ_ASSIGN_OR_RETURN(SqlRows rows,
                        tx.conn().Query("SELECT unit_path, unit_code FROM people WHERE "
                                        "person_id = $1",
                                        {id.value()}));
    if (rows.empty()) return absl::OkStatus();
    if (!workflow::InScope(actor, rows[0].Str(0))) {
      return absl::PermissionDeniedError(StrCat("person '", id.value(), "' is outside ", actor.user,
                                                "'s unit ", actor.unit.value()));
    }
    FZ_RETURN_IF_ERROR(
        tx.conn().Exec("DELETE FROM people WHERE person_id = $1", {id.value()}).status());
    deleted = true;
    return tx.Audit(actor, "person_delete", StrCat("person:", id.value()),
                    StrCat("unit=", rows[0].Str(1)));
  }));
  return deleted;
}

}  // namespace fz::store
