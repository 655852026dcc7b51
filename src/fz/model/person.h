// A person in the high-risk base (高危易受骗群体库). File layout: person_id,name,id_no,phones,
// address,unit_code,tags (DESIGN.md). Personal fields are masked on output unless a role
// needs them (see api/).
#pragma once

#include <string>
#include <vector>

#include "fz/model/ids.h"

namespace fz::model {

struct Person {
  PersonId id;
  std::string name;
  std::string id_no;  // 18-digit resident ID, normalized; may be empty
  std::vector<PhoneNumber> phones;
  std::string address;
  UnitCode unit;                  // the unit responsible for this person (community / station)
  std::vector<std::string> tags;  // "elderly_alone", "student", "loan_seeker", "prior_victim", ...
};

}  // namespace fz::model
