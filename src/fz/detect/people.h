// PeopleIndex: the high-risk base (高危易受骗群体库) loaded from the people CSV
// `person_id,name,id_no,phones,address,unit_code,tags` (docs/formats.md), looked up by
// canonical phone or ID number when a rule reads `person.*`.
//
//   std::vector<RejectedPerson> rejected;
//   FZ_ASSIGN_OR_RETURN(PeopleIndex people, PeopleIndex::LoadCsvFile("people.csv", &rejected));
//   if (const model::Person* p = people.FindByPhone("+8613895101234")) ...
//   int age = people.AgeAt(*p, event_time);   // -1 when the ID number gives no birth date
//
// Lookups are thread-safe against each other and do not allocate; Add and Remove must not run
// concurrently with lookups (the server applies them between detector batches).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "fz/common/status.h"
#include "fz/model/person.h"

namespace fz::detect {

// A row that could not be loaded; loading goes on without it.
struct RejectedPerson {
  std::string file;
  int64_t line = 0;    // 1-based, the header is line 1
  std::string reason;  // "bad_phone: phones[1]: ...", "bad_id_no: ...", "bad_csv: ..."
  std::string raw;
};

class PeopleIndex {
 public:
  PeopleIndex();
  ~PeopleIndex();
  PeopleIndex(PeopleIndex&&) noexcept;
  PeopleIndex& operator=(PeopleIndex&&) noexcept;

  // Reads a people CSV (header row; column order free; unknown columns ignored; `person_id`
  // required, plus at least one of `phones` and `id_no`). Phones are normalized to E.164, ID
  // numbers checked. A row with a bad phone, bad ID number or broken quoting is rejected with
  // its line; an unreadable file or a missing required column is an error.
  static StatusOr<PeopleIndex> LoadCsvFile(const std::string& path,
                                           std::vector<RejectedPerson>* rejected);
  // The same from text already in memory; `source_name` names it in rejections.
  static StatusOr<PeopleIndex> ParseCsv(std::string_view text, std::string_view source_name,
                                        std::vector<RejectedPerson>* rejected);

  // Adds a person (phones and id_no must already be canonical). A later person with the same
  // phone or ID number replaces the earlier in lookups.
  void Add(model::Person person);
  // Forgets a person: their phones and ID number no longer find anyone. Returns false when
  // nobody had that id.
  bool Remove(const model::PersonId& id);

  const model::Person* FindByPhone(std::string_view canonical_phone) const;
  const model::Person* FindByIdNo(std::string_view id_no) const;

  // Whole years at `at` (China Standard Time date) from the person's ID number; -1 if none.
  int AgeAt(const model::Person& person, absl::Time at) const;

  size_t size() const;
  // Every person added, in order (a later duplicate id appears twice; the store's upsert by
  // id keeps the later).
  const std::vector<model::Person>& all() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fz::detect
