#include "fz/gen/event_lines.h"

#include "fz/common/json_line.h"

namespace fz::gen {

std::string_view CarrierOf(std::string_view phone) {
  if (phone.size() < 3 || phone[0] != '1') return "carrier.ctcc";  // fixed lines: 电信
  const int block = (phone[1] - '0') * 10 + (phone[2] - '0');
  switch (block) {
    case 30:
    case 31:
    case 32:
    case 45:
    case 55:
    case 56:
    case 66:
    case 75:
    case 76:
    case 85:
    case 86:
      return "carrier.cucc";
    case 33:
    case 49:
    case 53:
    case 73:
    case 77:
    case 80:
    case 81:
    case 89:
    case 91:
    case 99:
      return "carrier.ctcc";
    default:
      return "carrier.cmcc";
  }
}

std::string CallBody(int64_t ts, std::string_view caller, std::string_view callee, int duration_s,
                     std::string_view cell_id, std::string_view imei) {
  std::string body;
  body.reserve(200);
  JsonLine j(&body);
  j.Str("type", "call").Time("ts", ts).Str("source", CarrierOf(callee));
  j.Str("caller", caller).Str("callee", callee).Int("duration_s", duration_s);
  if (!cell_id.empty()) j.Str("cell_id", cell_id);
  if (!imei.empty()) j.Str("imei", imei);
  j.Close();
  return body;
}

std::string SmsBody(int64_t ts, std::string_view sender, std::string_view receiver,
                    std::string_view text) {
  std::string body;
  body.reserve(128 + text.size());
  JsonLine j(&body);
  j.Str("type", "sms").Time("ts", ts).Str("source", CarrierOf(receiver));
  j.Str("sender", sender).Str("receiver", receiver).Str("text", text);
  j.Close();
  return body;
}

std::string NetBody(int64_t ts, std::string_view subscriber, std::string_view domain,
                    std::string_view url, std::string_view ip) {
  std::string body;
  body.reserve(160 + url.size());
  JsonLine j(&body);
  j.Str("type", "net").UtcTime("ts", ts).Str("source", "isp.nxtelecom");
  j.Str("subscriber", subscriber).Str("domain", domain);
  if (!url.empty()) j.Str("url", url);
  if (!ip.empty()) j.Str("ip", ip);
  j.Close();
  return body;
}

std::string AppBody(int64_t ts, std::string_view subscriber, std::string_view app_id,
                    std::string_view app_name, std::string_view action, std::string_view imei) {
  std::string body;
  body.reserve(200);
  JsonLine j(&body);
  j.Str("type", "app").Time("ts", ts).Str("source", "terminal.security");
  j.Str("subscriber", subscriber).Str("app_id", app_id).Str("app_name", app_name);
  j.Str("action", action);
  if (!imei.empty()) j.Str("imei", imei);
  j.Close();
  return body;
}

std::string TransferBody(int64_t ts, const TransferFields& t) {
  std::string body;
  body.reserve(256);
  JsonLine j(&body);
  j.Str("type", "transfer").EpochMs("ts", ts).Str("source", "bank.unionpay");
  j.Str("payer_account", t.payer_account);
  if (!t.payer_phone.empty()) j.Str("payer_phone", t.payer_phone);
  if (!t.payer_id_no.empty()) j.Str("payer_id_no", t.payer_id_no);
  j.Str("payee_account", t.payee_account);
  if (!t.payee_name.empty()) j.Str("payee_name", t.payee_name);
  j.YuanStr("amount", t.fen).Str("channel", t.channel);
  j.Close();
  return body;
}

std::string DirectiveBody(int64_t ts, std::string_view directive_id, std::string_view subject_phone,
                          std::string_view level, std::string_view fraud_code,
                          std::string_view issuer, std::string_view text) {
  std::string body;
  JsonLine j(&body);
  j.Str("type", "directive").Time("ts", ts).Str("source", "directive.national");
  j.Str("directive_id", directive_id).Str("subject_phone", subject_phone).Str("level", level);
  j.Str("fraud_type", fraud_code).Str("issuer", issuer).Str("text", text);
  j.Close();
  return body;
}

std::string ReportBody(int64_t ts, std::string_view reporter,
                       const std::vector<std::string>& suspect_phones,
                       const std::vector<std::string>& suspect_accounts,
                       const std::vector<std::string>& suspect_domains, std::string_view fraud_code,
                       int64_t loss_fen, std::string_view text) {
  std::string body;
  JsonLine j(&body);
  j.Str("type", "report").Time("ts", ts).Str("source", "report.96110");
  j.Str("reporter", reporter);
  if (!suspect_phones.empty()) j.StrList("suspect_phones", suspect_phones);
  if (!suspect_accounts.empty()) j.StrList("suspect_accounts", suspect_accounts);
  if (!suspect_domains.empty()) j.StrList("suspect_domains", suspect_domains);
  j.Str("fraud_type", fraud_code).YuanStr("loss", loss_fen).Str("text", text);
  j.Close();
  return body;
}

}  // namespace fz::gen
