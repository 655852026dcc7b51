#include "fz/detect/people.h"

#include <fstream>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "fz/common/str_cat.h"
#include "fz/normalize/id_card.h"
#include "fz/normalize/phone_normalizer.h"
#include "fz/normalize/simple_csv.h"

namespace fz::detect {

struct PeopleIndex::Impl {
  std::vector<model::Person> people;
  std::vector<std::optional<absl::CivilDay>> birth;  // parallel to `people`
  absl::flat_hash_map<std::string, int32_t> by_phone;
  absl::flat_hash_map<std::string, int32_t> by_id_no;
  absl::flat_hash_map<std::string, int32_t> by_person;  // the current entry of each person id

  // Drops the lookups that still lead to people[index] (a newer entry may own some of them).
  void Unmap(int32_t index) {
    const model::Person& p = people[static_cast<size_t>(index)];
    auto drop = [index](absl::flat_hash_map<std::string, int32_t>& map, const std::string& key) {
      auto it = map.find(key);
      if (it != map.end() && it->second == index) map.erase(it);
    };
    if (!p.id_no.empty()) drop(by_id_no, p.id_no);
    for (const model::PhoneNumber& phone : p.phones) drop(by_phone, phone.value());
  }
};

namespace {

absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// Dates in ID numbers are civil dates in China; a far "today" accepts every real birth date.
constexpr absl::CivilDay kValidationDay(2199, 12, 31);

std::vector<std::string_view> SplitList(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const size_t semi = s.find(';');
    std::string_view item = s.substr(0, semi);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.push_back(item);
    if (semi == std::string_view::npos) break;
    s.remove_prefix(semi + 1);
  }
  return out;
}

struct Columns {
  int person_id = -1, name = -1, id_no = -1, phones = -1, address = -1, unit_code = -1, tags = -1;
  size_t count = 0;
};

StatusOr<Columns> ReadHeader(std::string_view line, std::string_view source) {
  StatusOr<std::vector<std::string>> fields = normalize::SplitCsvRecord(line);
  if (!fields.ok()) {
    return absl::InvalidArgumentError(StrCat(source, ":1: header: ", fields.status().message()));
  }
  Columns c;
  c.count = fields->size();
  for (size_t i = 0; i < fields->size(); ++i) {
    std::string_view f = (*fields)[i];
    if (i == 0 && f.substr(0, 3) == "\xEF\xBB\xBF") f.remove_prefix(3);  // BOM
    const int idx = static_cast<int>(i);
    if (f == "person_id") c.person_id = idx;
    if (f == "name") c.name = idx;
    if (f == "id_no") c.id_no = idx;
    if (f == "phones") c.phones = idx;
    if (f == "address") c.address = idx;
    if (f == "unit_code") c.unit_code = idx;
    if (f == "tags") c.tags = idx;
  }
  if (c.person_id < 0) {
    return absl::InvalidArgumentError(StrCat(source, ":1: header: missing column person_id"));
  }
  if (c.phones < 0 && c.id_no < 0) {
    return absl::InvalidArgumentError(
        StrCat(source, ":1: header: needs a phones or an id_no column"));
  }
  return c;
}

// A record without quotes split at its commas: what SplitCsvRecord gives for it, as views
// into the line instead of a string per field (50k rows, ~2,000 instructions each).
void SplitPlainRecord(std::string_view line, std::vector<std::string_view>& fields) {
  fields.clear();
  size_t start = 0;
  for (size_t comma; (comma = line.find(',', start)) != std::string_view::npos;) {
    fields.push_back(line.substr(start, comma - start));
    start = comma + 1;
  }
  fields.push_back(line.substr(start));
}

// One data row into a Person, or the reason it is rejected.
StatusOr<model::Person> ReadRow(const Columns& c, const std::vector<std::string_view>& f,
                                normalize::PhoneKey& phone) {
  const auto at = [&](int i) -> std::string_view {
    return i >= 0 && static_cast<size_t>(i) < f.size() ? f[static_cast<size_t>(i)] : "";
  };
  model::Person p;
  if (at(c.person_id).empty()) return absl::InvalidArgumentError("missing_field: person_id");
  p.id = model::PersonId(std::string(at(c.person_id)));
  p.name = std::string(at(c.name));
  p.address = std::string(at(c.address));
  p.unit = model::UnitCode(std::string(at(c.unit_code)));
  if (!at(c.id_no).empty()) {
    StatusOr<normalize::IdCardInfo> id = normalize::NormalizeIdCard(at(c.id_no), kValidationDay);
    if (!id.ok()) return absl::InvalidArgumentError(StrCat("bad_id_no: ", id.status().message()));
    p.id_no = id->number;
  }
  int n = 0;
  for (std::string_view raw : SplitList(at(c.phones))) {
    // NormalizeKey: Normalize's canonical form and errors without the rest of a PhoneInfo.
    if (Status s = normalize::PhoneNormalizer::Default().NormalizeKey(raw, &phone); !s.ok()) {
      return absl::InvalidArgumentError(StrCat("bad_phone: phones[", n, "]: ", s.message()));
    }
    p.phones.emplace_back(phone.canonical);
    ++n;
  }
  if (p.phones.empty() && p.id_no.empty()) {
    return absl::InvalidArgumentError("missing_field: a person needs phones or id_no");
  }
  for (std::string_view tag : SplitList(at(c.tags))) p.tags.emplace_back(tag);
  return p;
}

}  // namespace

PeopleIndex::PeopleIndex() : impl_(std::make_unique<Impl>()) {}
PeopleIndex::~PeopleIndex() = default;
PeopleIndex::PeopleIndex(PeopleIndex&&) noexcept = default;
PeopleIndex& PeopleIndex::operator=(PeopleIndex&&) noexcept = default;

void PeopleIndex::Add(model::Person person) {
  const auto index = static_cast<int32_t>(impl_->people.size());
  // An edit replaces the earlier entry: a phone the person no longer has stops finding them.
  // (The earlier entry stays in `people`, so pointers handed out remain valid.)
  auto [current, fresh] = impl_->by_person.try_emplace(person.id.value(), index);
  if (!fresh) {
    impl_->Unmap(current->second);
    current->second = index;
  }
  std::optional<absl::CivilDay> birth;
  if (!person.id_no.empty()) {
    StatusOr<normalize::IdCardInfo> id = normalize::NormalizeIdCard(person.id_no, kValidationDay);
    if (id.ok()) birth = id->birth_date;
    impl_->by_id_no[person.id_no] = index;
  }
  for (const model::PhoneNumber& phone : person.phones) impl_->by_phone[phone.value()] = index;
  impl_->people.push_back(std::move(person));
  impl_->birth.push_back(birth);
}

StatusOr<PeopleIndex> PeopleIndex::ParseCsv(std::string_view text, std::string_view source_name,
                                            std::vector<RejectedPerson>* rejected) {
  PeopleIndex index;
  int64_t line_no = 0;
  std::optional<Columns> columns;
  std::vector<std::string> storage;  // the fields of a quoted record
  std::vector<std::string_view> fields;
  normalize::PhoneKey phone;
  while (!text.empty()) {
    const std::string_view line = normalize::TakeLine(text, &line_no);
    if (!columns) {
      FZ_ASSIGN_OR_RETURN(columns, ReadHeader(line, source_name));
      continue;
    }
    if (line.empty() || line.front() == '#') continue;
    const auto reject = [&](std::string reason) {
      if (rejected != nullptr) {
        rejected->push_back(
            {std::string(source_name), line_no, std::move(reason), std::string(line)});
      }
    };
    if (line.find('"') == std::string_view::npos) {
      SplitPlainRecord(line, fields);
    } else {
      StatusOr<std::vector<std::string>> quoted = normalize::SplitCsvRecord(line);
      if (!quoted.ok()) {
        reject(StrCat("bad_csv: ", quoted.status().message()));
        continue;
      }
      storage = *std::move(quoted);
      fields.assign(storage.begin(), storage.end());
    }
    StatusOr<model::Person> person = ReadRow(*columns, fields, phone);
    if (!person.ok()) {
      reject(std::string(person.status().message()));
      continue;
    }
    index.Add(std::move(person).value());
  }
  if (!columns) return absl::InvalidArgumentError(StrCat(source_name, ": empty file, no header"));
  return index;
}

StatusOr<PeopleIndex> PeopleIndex::LoadCsvFile(const std::string& path,
                                               std::vector<RejectedPerson>* rejected) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat(path, ": cannot open people file"));
  // One read of the whole file (a stream copy through ostringstream copied it twice).
  std::string text;
  for (char buf[1 << 16]; in.read(buf, sizeof(buf)) || in.gcount() > 0;) {
    text.append(buf, static_cast<size_t>(in.gcount()));
  }
  return ParseCsv(text, path, rejected);
}

const model::Person* PeopleIndex::FindByPhone(std::string_view canonical_phone) const {
  const auto it = impl_->by_phone.find(AbslView(canonical_phone));
  return it == impl_->by_phone.end() ? nullptr : &impl_->people[static_cast<size_t>(it->second)];
}

const model::Person* PeopleIndex::FindByIdNo(std::string_view id_no) const {
  const auto it = impl_->by_id_no.find(AbslView(id_no));
  return it == impl_->by_id_no.end() ? nullptr : &impl_->people[static_cast<size_t>(it->second)];
}

int PeopleIndex::AgeAt(const model::Person& person, absl::Time at) const {
  const size_t index = static_cast<size_t>(&person - impl_->people.data());
  if (index >= impl_->birth.size() || !impl_->birth[index]) return -1;
  const absl::CivilDay birth = *impl_->birth[index];
  static const absl::TimeZone kChina = absl::FixedTimeZone(8 * 3600);
  const absl::CivilDay today = absl::ToCivilDay(at, kChina);
  int age = static_cast<int>(today.year() - birth.year());
  if (today.month() < birth.month() ||
      (today.month() == birth.month() && today.day() < birth.day())) {
    --age;
  }
  return age < 0 ? -1 : age;
}

bool PeopleIndex::Remove(const model::PersonId& id) {
  auto it = impl_->by_person.find(id.value());
  if (it == impl_->by_person.end()) return false;
  impl_->Unmap(it->second);
  impl_->by_person.erase(it);
  return true;
}

const std::vector<model::Person>& PeopleIndex::all() const { return impl_->people; }

size_t PeopleIndex::size() const { return impl_->people.size(); }

}  // namespace fz::detect
