// JSON bodies of the seven event types of docs/formats.md, as the generator's feeds write
// them: carriers (call, sms) in Beijing time, the ISP (net) in UTC "Z", banks (transfer) in
// epoch milliseconds, directives and reports in Beijing time. Phones are passed in the form
// the feed writes (national "13895101234", "09515012345", or "+855...").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fz::gen {

std::string CallBody(int64_t ts, std::string_view caller, std::string_view callee, int duration_s,
                     std::string_view cell_id, std::string_view imei);
std::string SmsBody(int64_t ts, std::string_view sender, std::string_view receiver,
                    std::string_view text);
// `url` may be empty (DNS only); `ip` may be empty.
std::string NetBody(int64_t ts, std::string_view subscriber, std::string_view domain,
                    std::string_view url, std::string_view ip);
std::string AppBody(int64_t ts, std::string_view subscriber, std::string_view app_id,
                    std::string_view app_name, std::string_view action, std::string_view imei);

struct TransferFields {
  std::string_view payer_account, payer_phone, payer_id_no, payee_account, payee_name, channel;
  int64_t fen = 0;
};
std::string TransferBody(int64_t ts, const TransferFields& t);

std::string DirectiveBody(int64_t ts, std::string_view directive_id, std::string_view subject_phone,
                          std::string_view level, std::string_view fraud_code,
                          std::string_view issuer, std::string_view text);
std::string ReportBody(int64_t ts, std::string_view reporter,
                       const std::vector<std::string>& suspect_phones,
                       const std::vector<std::string>& suspect_accounts,
                       const std::vector<std::string>& suspect_domains, std::string_view fraud_code,
                       int64_t loss_fen, std::string_view text);

// The carrier feed a subscriber's records come from, by number block: "carrier.cmcc", ...
std::string_view CarrierOf(std::string_view phone);

}  // namespace fz::gen
