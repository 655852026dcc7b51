#include "fz/model/warning.h"

namespace fz::model {

std::string_view SubjectKindName(SubjectKind kind) {
  switch (kind) {
    case SubjectKind::kPhone:
      return "phone";
    case SubjectKind::kAccount:
      return "account";
    case SubjectKind::kIdNo:
      return "id_no";
  }
  return "unknown";
}

}  // namespace fz::model
