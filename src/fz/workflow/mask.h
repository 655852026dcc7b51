// Masking personal data for roles that do not need it (docs/workflow.md "Personal data").
//
//   MaskPhone("+8613895101234") == "+86138****1234";  MaskName("张三丰") == "张**"
//
// Pure functions on UTF-8; thread-safe. They never fail: unknown shapes are masked harder.
#pragma once

#include <string>
#include <string_view>

namespace fz::workflow {

std::string MaskName(std::string_view name);        // first character kept
std::string MaskPhone(std::string_view phone);      // country code + 3 first, 4 last digits
std::string MaskIdNo(std::string_view id_no);       // 6 first, 4 last
std::string MaskAccount(std::string_view account);  // 4 first, 4 last
// Masks a subject of the given kind name ("phone", "account", "id_no").
std::string MaskSubject(std::string_view kind, std::string_view value);

}  // namespace fz::workflow
