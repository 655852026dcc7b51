#include <string>

#include "absl/time/civil_time.h"
#include "fz/common/str_cat.h"
#include "fz/ingest/event_reader.h"
#include "fz/ingest/json_event.h"
#include "fz/normalize/phone.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class ParseJsonEventTest : public ::testing::Test {
 protected:
  model::FraudTypeRegistry types_ = model::FraudTypeRegistry::WithBuiltins();
  ReadOptions options_{.fraud_types = &types_};

  model::Event Parse(std::string_view json) {
    StatusOr<model::Event> e = ParseJsonEvent(json, options_);
    EXPECT_TRUE(e.ok()) << e.status() << " for " << json;
    return e.ok() ? *std::move(e) : model::Event{};
  }
  std::string Error(std::string_view json) {
    StatusOr<model::Event> e = ParseJsonEvent(json, options_);
    EXPECT_FALSE(e.ok()) << json;
    return e.ok() ? "" : std::string(e.status().message());
  }
};

TEST_F(ParseJsonEventTest, Call) {
  model::Event e =
      Parse(R"({"id":"cmcc-20261126-000001","type":"call","ts":"2026-11-26T09:30:00+08:00",)"
            R"("source":"carrier.cmcc","caller":"+85517652903","callee":"13895101234",)"
            R"("duration_s":412,"cell_id":"46000-9510-12345","imei":"356938035643809"})");
  EXPECT_EQ(e.header.id.value(), "cmcc-20261126-000001");
  EXPECT_EQ(e.header.type, model::EventType::kCall);
  EXPECT_EQ(e.header.source, "carrier.cmcc");
  EXPECT_EQ(e.header.time,
            absl::FromCivil(absl::CivilSecond(2026, 11, 26, 1, 30, 0), absl::UTCTimeZone()));
  const auto& call = std::get<model::CallEvent>(e.body);
  EXPECT_EQ(call.caller.value(), "+85517652903");
  EXPECT_EQ(call.callee.value(), "+8613895101234");
  EXPECT_EQ(call.duration_s, 412);
  EXPECT_EQ(call.cell_id, "46000-9510-12345");
  EXPECT_EQ(call.imei, "356938035643809");
}

TEST_F(ParseJsonEventTest, KeepsCallerFlagsThatOnlyTheRawTextShows) {
  // "+86 95588" canonicalizes to the same "+8695588" as a bare 95588: only the raw text shows
  // the country code, the mark of a caller id forged abroad.
  const auto flags = [&](std::string_view caller) {
    model::Event e = Parse(StrCat(R"({"id":"c","type":"call","ts":1795656600000,"caller":")",
                                  caller, R"(","callee":"13895101234","duration_s":60})"));
    return normalize::PhoneFlagSet::FromBits(std::get<model::CallEvent>(e.body).caller_flags);
  };
  EXPECT_TRUE(flags("+86 95588").Has(normalize::PhoneFlag::kServiceWithCountryCode));
  EXPECT_TRUE(flags("+86 95588").Has(normalize::PhoneFlag::kSuspectedSpoof));
  EXPECT_FALSE(flags("95588").Has(normalize::PhoneFlag::kServiceWithCountryCode));
  EXPECT_TRUE(flags("+85517652903").Has(normalize::PhoneFlag::kInternational));
  EXPECT_EQ(flags("13895101234").bits(), model::kPartyFlagsComplete)
      << "ingest's flags are all of them, and say so";
  model::Event sms = Parse(R"({"id":"s","type":"sms","ts":1795656600000,"sender":"+86110",)"
                           R"("receiver":"13895101234","text":"x"})");
  EXPECT_TRUE(normalize::PhoneFlagSet::FromBits(std::get<model::SmsEvent>(sms.body).sender_flags)
                  .Has(normalize::PhoneFlag::kServiceWithCountryCode));
}

TEST_F(ParseJsonEventTest, AppIdsAreLowerCased) {
  model::Event e = Parse(R"({"id":"a","type":"app","ts":1795656600000,"subscriber":"13895101234",)"
                         R"("app_id":" COM.Eg.Android.AlipayGphone ","action":"install"})");
  EXPECT_EQ(std::get<model::AppEvent>(e.body).app_id, "com.eg.android.alipaygphone");
}

TEST_F(ParseJsonEventTest, SmsWithEpochMillisAndEscapes) {
  model::Event e = Parse(
      R"({"id":"sms-1","type":"sms","ts":1795656600000,"sender":"10690000123",)"
      R"("receiver":"１３８９５１０１２３４","text":"【平台】刷单\"佣金\"\u5f85领取 http://task-rebate.top/a"})");
  EXPECT_EQ(e.header.time, absl::FromUnixMillis(1795656600000));
  const auto& sms = std::get<model::SmsEvent>(e.body);
  EXPECT_EQ(sms.sender.value(), "+8610690000123");
  EXPECT_EQ(sms.receiver.value(), "+8613895101234");  // full-width digits folded
  EXPECT_EQ(sms.text, "【平台】刷单\"佣金\"待领取 http://task-rebate.top/a");
}

TEST_F(ParseJsonEventTest, NetFillsDomainFromUrl) {
  model::Event e =
      Parse(R"({"id":"dns-1","type":"net","ts":"2026-11-26T01:31:00Z","subscriber":"13895101234",)"
            R"("url":"HTTP://WWW.Task-Rebate.TOP:80/a/./b#x"})");
  const auto& net = std::get<model::NetEvent>(e.body);
  EXPECT_EQ(net.url, "http://www.task-rebate.top/a/b");
  EXPECT_EQ(net.domain.value(), "www.task-rebate.top");
  EXPECT_EQ(net.ip, "");

  e = Parse(R"({"id":"dns-2","type":"net","ts":"2026-11-26T01:31:00Z","subscriber":"13895101234",)"
            R"("domain":"Task-Rebate.TOP.","ip":"1.2.3.4"})");
  const auto& net2 = std::get<model::NetEvent>(e.body);
  EXPECT_EQ(net2.domain.value(), "task-rebate.top");
  EXPECT_EQ(net2.ip, "1.2.3.4");
  EXPECT_EQ(net2.url, "");
}

TEST_F(ParseJsonEventTest, App) {
  model::Event e = Parse(
      R"({"id":"app-1","type":"app","ts":"2026-11-26T09:40:00+08:00","subscriber":"13895101234",)"
      R"("app_id":"com.zoom.meeting","app_name":"会议","action":"install"})");
  const auto& app = std::get<model::AppEvent>(e.body);
  EXPECT_EQ(app.subscriber.value(), "+8613895101234");
  EXPECT_EQ(app.app_id, "com.zoom.meeting");
  EXPECT_EQ(app.app_name, "会议");
  EXPECT_EQ(app.action, "install");
}

TEST_F(ParseJsonEventTest, TransferAmountsAreExactFen) {
  model::Event e =
      Parse(R"({"id":"nx-778","type":"transfer","ts":"2026-11-26T10:02:00+08:00",)"
            R"("payer_account":"6214 1712-3456 7890 123","payer_phone":"13895101234",)"
            R"("payer_id_no":"640104199003071236","payee_account":"6222021234567890128",)"
            R"("payee_name":"张某","amount":"1999.5","channel":"mobile_bank"})");
  const auto& t = std::get<model::TransferEvent>(e.body);
  EXPECT_EQ(t.payer_account.value(), "6214171234567890123");
  EXPECT_EQ(t.payer_phone.value(), "+8613895101234");
  EXPECT_EQ(t.payer_id_no, "640104199003071236");
  EXPECT_EQ(t.payee_account.value(), "6222021234567890128");
  EXPECT_EQ(t.amount.fen, 199950);
  EXPECT_EQ(t.channel, "mobile_bank");

  // A JSON number is read from its text, not through a double.
  for (auto [text, fen] : std::initializer_list<std::pair<const char*, int64_t>>{
           {"0.07", 7},
           {"20000.00", 2000000},
           {"3", 300},
           {"\"0.1\"", 10},
           {"12.500", 1250},
           {"92233720368547757", 9223372036854775700}}) {
    model::Event t2 = Parse(fz::StrCat(
        R"({"id":"t","type":"transfer","ts":1795656600000,"payer_account":"6214171234567890123",)",
        R"("payee_account":"6222021234567890128","amount":)", text, "}"));
    EXPECT_EQ(std::get<model::TransferEvent>(t2.body).amount.fen, fen) << text;
  }
}

TEST_F(ParseJsonEventTest, DirectiveAndReport) {
  model::Event d =
      Parse(R"({"id":"zl-2026-1","type":"directive","ts":"2026-11-26T10:05:00+08:00",)"
            R"("directive_id":"GJFZ-2026-000123","subject_phone":"13895101234","level":"红",)"
            R"("fraud_type":"刷单返利","issuer":"国家反诈中心"})");
  const auto& dir = std::get<model::DirectiveEvent>(d.body);
  EXPECT_EQ(dir.directive_id, "GJFZ-2026-000123");
  EXPECT_EQ(dir.subject_phone.value(), "+8613895101234");
  EXPECT_EQ(dir.level, model::WarningLevel::kRed);
  EXPECT_EQ(types_.Info(dir.fraud_type).code, "task_rebate");
  EXPECT_EQ(dir.issuer, "国家反诈中心");

  model::Event r = Parse(
      R"({"id":"96110-9","type":"report","ts":"2026-11-26T11:00:00+08:00","reporter":"13995102222",)"
      R"("suspect_phones":["+85517652903","0951-5012345"],"suspect_accounts":["6222021234567890128"],)"
      R"("suspect_domains":["Task-Rebate.top"],"fraud_type":"fake_investment","loss":"50000"})");
  const auto& rep = std::get<model::ReportEvent>(r.body);
  EXPECT_EQ(rep.reporter.value(), "+8613995102222");
  EXPECT_THAT(rep.suspect_phones,
              ElementsAre(model::PhoneNumber("+85517652903"), model::PhoneNumber("+869515012345")));
  EXPECT_THAT(rep.suspect_accounts, ElementsAre(model::AccountNo("6222021234567890128")));
  EXPECT_THAT(rep.suspect_domains, ElementsAre(model::Domain("task-rebate.top")));
  EXPECT_EQ(types_.Info(rep.fraud_type).code, "fake_investment");
  EXPECT_EQ(rep.loss.fen, 5000000);

  // A `;`-separated string is accepted for a list field too.
  model::Event r2 =
      Parse(R"({"id":"96110-10","type":"report","ts":1795656600000,"reporter":"13995102222",)"
            R"("suspect_phones":"+85517652903; 13895101234"})");
  EXPECT_EQ(std::get<model::ReportEvent>(r2.body).suspect_phones.size(), 2u);
}

TEST_F(ParseJsonEventTest, OpaqueHashedSubjects) {
  std::string digest(64, 'a');
  model::Event e = Parse(fz::StrCat(R"({"id":"h1","type":"call","ts":1795656600000,"caller":)",
                                    R"("+85517652903","callee":"sha256:)", digest, R"("})"));
  EXPECT_EQ(std::get<model::CallEvent>(e.body).callee.value(), "h:" + digest);
}

TEST_F(ParseJsonEventTest, UnknownKeysAndNullsAreIgnored) {
  model::Event e =
      Parse(R"({"x":{"deep":[1,2,{"a":null}]},"id":"c1","type":"call","ts":1795656600000,)"
            R"("caller":"+85517652903","callee":"13895101234","cell_id":null,"extra":true})");
  EXPECT_EQ(std::get<model::CallEvent>(e.body).cell_id, "");
}

TEST_F(ParseJsonEventTest, ReasonCodes) {
  const std::string head = R"({"id":"e1","ts":1795656600000,)";
  EXPECT_THAT(Error("not json"), StartsWith("bad_json: "));
  EXPECT_THAT(Error("[1,2]"), StartsWith("bad_json: line is not a JSON object"));
  EXPECT_THAT(Error(R"({"id":"a")"), StartsWith("bad_json: "));
  EXPECT_THAT(Error(R"({"id":"a","type":"call"} {"x":1})"), StartsWith("bad_json: "));
  // A whole, valid event followed by anything but whitespace is one line too many.
  const std::string call =
      head + R"("type":"call","caller":"+85517652903","callee":"13895101234"})";
  EXPECT_EQ(Error(call + " " + call), "bad_json: trailing content after the object");
  for (const char* tail : {"}", " x", ",1", "[]", "\"s\""}) {
    EXPECT_THAT(Error(call + tail), StartsWith("bad_json: ")) << tail;
  }
  Parse(call + " \t ");
  EXPECT_THAT(Error(head + R"("type":"call","caller":{"a":1},"callee":"1"})"),
              StartsWith("bad_json: caller must be a string or a number"));
  EXPECT_EQ(Error(R"({"id":"e1","ts":1795656600000,"caller":"1"})"),
            "missing_field: type is required");
  EXPECT_EQ(Error(R"({"type":"call","ts":1795656600000})"), "missing_field: id is required");
  EXPECT_EQ(Error(R"({"id":"e","type":"call"})"), "missing_field: ts is required");
  EXPECT_EQ(Error(head + R"("type":"fax"})"),
            "unknown_type: type 'fax' is not one of call, sms, net, app, transfer, directive, "
            "report");
  EXPECT_EQ(Error(head + R"("type":"call","caller":"+85517652903"})"),
            "missing_field: callee is required");
  EXPECT_THAT(
      Error(R"({"id":"e1","type":"call","ts":"2026-11-26 09:30","caller":"1","callee":"1"})"),
      StartsWith("bad_timestamp: ts '2026-11-26 09:30' "));
  EXPECT_THAT(Error(head + R"("type":"call","caller":"12ab","callee":"13895101234"})"),
              StartsWith("bad_phone: caller '12ab' "));
  EXPECT_THAT(Error(head + R"("type":"call","caller":"+85517652903","callee":"13895101234",)"
                           R"("duration_s":-3})"),
              StartsWith("bad_duration: duration_s '-3' "));
  EXPECT_THAT(Error(head + R"("type":"transfer","payer_account":"62x4","payee_account":)"
                           R"("6222021234567890128","amount":"1"})"),
              StartsWith("bad_account: payer_account '62x4' "));
  EXPECT_THAT(Error(head + R"("type":"transfer","payer_account":"6214171234567890123",)"
                           R"("payee_account":"6222021234567890128","amount":"1.234"})"),
              StartsWith("bad_amount: amount '1.234' has more than two decimals"));
  EXPECT_THAT(Error(head + R"("type":"transfer","payer_account":"6214171234567890123",)"
                           R"("payee_account":"6222021234567890128","amount":"-5"})"),
              StartsWith("bad_amount: amount '-5' is negative"));
  EXPECT_THAT(Error(head + R"("type":"net","subscriber":"13895101234","domain":"a..b"})"),
              StartsWith("bad_domain: domain 'a..b' "));
  EXPECT_THAT(Error(head + R"("type":"net","subscriber":"13895101234","url":"ftp://x.com/"})"),
              StartsWith("bad_url: url 'ftp://x.com/' "));
  EXPECT_THAT(Error(head + R"("type":"net","subscriber":"13895101234","ip":"999.1.1.1"})"),
              StartsWith("bad_ip: ip '999.1.1.1' "));
  EXPECT_EQ(Error(head + R"("type":"net","subscriber":"13895101234"})"),
            "missing_field: domain, url or ip is required");
  EXPECT_EQ(Error(head + R"("type":"directive","level":"red"})"),
            "missing_field: subject_phone, subject_id_no or subject_account is required");
  EXPECT_THAT(Error(head + R"("type":"directive","subject_phone":"13895101234","level":"purple"})"),
              StartsWith("bad_level: level 'purple' "));
  EXPECT_THAT(Error(head + R"("type":"directive","subject_phone":"13895101234","fraud_type":"x"})"),
              StartsWith("unknown_fraud_type: fraud_type 'x' "));
  EXPECT_THAT(Error(head + R"("type":"directive","subject_id_no":"640104199003071235"})"),
              StartsWith("bad_id_no: subject_id_no "));
  EXPECT_THAT(Error(head + R"("type":"report","reporter":"13995102222","suspect_phones":[{}]})"),
              StartsWith("bad_json: suspect_phones items must be strings"));
  EXPECT_THAT(Error(std::string(70000, ' ') + "{}"), StartsWith("too_long: "));
}

TEST_F(ParseJsonEventTest, EchoedValuesAreTruncated) {
  std::string long_phone(500, '9');
  std::string message = Error(fz::StrCat(R"({"id":"e1","ts":1795656600000,"type":"call",)",
                                         R"("caller":")", long_phone, R"(","callee":"1"})"));
  EXPECT_THAT(message, StartsWith("bad_phone: caller '"));
  EXPECT_LT(message.size(), 200u);
}

TEST_F(ParseJsonEventTest, ParserIsReusableAndUsesDefaultType) {
  JsonEventParser parser(options_);
  model::Event e;
  ASSERT_TRUE(parser
                  .Parse(R"({"id":"1","ts":1795656600000,"sender":"10690000123","receiver":)"
                         R"("13895101234"})",
                         model::EventType::kSms, &e)
                  .ok());
  EXPECT_EQ(e.header.type, model::EventType::kSms);
  EXPECT_FALSE(parser.Parse("{", std::nullopt, &e).ok());
  // The key cache from the earlier line must not confuse a different key order.
  ASSERT_TRUE(parser
                  .Parse(R"({"receiver":"13895101234","type":"sms","id":"2","sender":)"
                         R"("10690000123","ts":1795656600000})",
                         std::nullopt, &e)
                  .ok());
  EXPECT_EQ(std::get<model::SmsEvent>(e.body).receiver.value(), "+8613895101234");
}

}  // namespace
}  // namespace fz::ingest
