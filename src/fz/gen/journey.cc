#include "fz/gen/journey.h"

#include <algorithm>
#include <cstdio>

#include "fz/common/json_line.h"
#include "fz/common/str_cat.h"
#include "fz/gen/event_lines.h"

namespace fz::gen {
namespace {

using model::EventType;

std::string SimImei(const std::string& number) {
  Rng rng(Mix64(HashBytes(number)));
  return NumberPlan::Imei(rng);
}

}  // namespace

std::string HostOf(const std::string& url) {
  size_t begin = url.find("://");
  begin = begin == std::string::npos ? 0 : begin + 3;
  size_t end = url.find_first_of("/?:", begin);
  return url.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

Journey::Journey(const World& world, EventQueue* queue, Rng& rng, size_t victim, const Gang& gang,
                 Fraud fraud, int64_t t0)
    : world_(world),
      queue_(queue),
      rng_(rng),
      victim_(victim),
      resident_(world.city->residents()[victim]),
      gang_(gang),
      fraud_(fraud),
      t0_(t0) {
  const size_t n = std::min<size_t>(gang.mules.size(), 1 + rng.Below(3));
  const size_t first = rng.Index(gang.mules.size());
  for (size_t i = 0; i < n; ++i) mules_.push_back(&gang.mules[(first + i) % gang.mules.size()]);
  if (rng.Chance(0.5)) victim_id_no_ = world.city->IdNumber(victim);
}

int64_t Journey::Call(int64_t at, const std::string& from, int duration_s) {
  std::string cell, imei;
  for (const SimBoxSite& site : gang_.sites) {
    auto it = std::find(site.sims.begin(), site.sims.end(), from);
    if (it != site.sims.end()) {
      cell = site.cell_id;
      imei = site.imeis[static_cast<size_t>(it - site.sims.begin()) % site.imeis.size()];
    }
  }
  if (cell.empty() && std::find(gang_.local_sims.begin(), gang_.local_sims.end(), from) !=
                          gang_.local_sims.end()) {  // a local SIM in an ordinary phone
    cell = world_.city->CellId(Mix64(HashBytes(from)) % world_.city->residents().size());
    imei = SimImei(from);
  }
  if (queue_->Push(at, EventType::kCall,
                   CallBody(at, from, resident_.phone, duration_s, cell, imei))) {
    Touch(at);
  }
  if (std::find(contacts_.begin(), contacts_.end(), from) == contacts_.end()) {
    contacts_.push_back(from);
  }
  return at + duration_s;
}

int64_t Journey::Sms(int64_t at, const std::string& from, const std::string& text) {
  if (queue_->Push(at, EventType::kSms, SmsBody(at, from, resident_.phone, text))) Touch(at);
  if (std::find(contacts_.begin(), contacts_.end(), from) == contacts_.end()) {
    contacts_.push_back(from);
  }
  return at;
}

int64_t Journey::Visit(int64_t at, const std::string& url) {
  std::string host = HostOf(url);
  if (std::find(domains_.begin(), domains_.end(), host) == domains_.end()) {
    domains_.push_back(host);
  }
  // The ISP sees the full URL for plain HTTP, often only the DNS name (sometimes of a
  // subdomain the kit uses).
  const double x = rng_.Unit();
  std::string body =
      x < 0.6   ? NetBody(at, resident_.phone, host, url, "")
      : x < 0.8 ? NetBody(at, resident_.phone, StrCat("m.", host), "", "")
                : NetBody(at, resident_.phone, host, "",
                          gang_.ips[static_cast<size_t>(std::find(gang_.domains.begin(),
                                                                  gang_.domains.end(), host) -
                                                        gang_.domains.begin()) %
                                    gang_.ips.size()]);
  if (queue_->Push(at, EventType::kNet, std::move(body))) Touch(at);
  return at;
}

int64_t Journey::Install(int64_t at, const App& app) {
  if (queue_->Push(
          at, EventType::kApp,
          AppBody(at, resident_.phone, app.id, app.name, "install", world_.city->Imei(victim_)))) {
    Touch(at);
  }
  return at;
}

int64_t Journey::Pay(int64_t at, int64_t fen) {
  const MuleAccount& mule = *mules_[transfers_ == 0 ? 0 : rng_.Index(mules_.size())];
  const double c = rng_.Unit();
  TransferFields t{.payer_account = resident_.account,
                   .payer_phone = resident_.phone,
                   .payer_id_no = victim_id_no_,
                   .payee_account = mule.account,
                   .payee_name = mule.holder,
                   .channel = c < 0.7    ? "mobile_bank"
                              : c < 0.95 ? "third_party"
                                         : "atm",
                   .fen = fen};
  if (queue_->Push(at, EventType::kTransfer, TransferBody(at, t))) {
    Touch(at);
    first_loss_ = std::min(first_loss_, at);
    last_loss_ = std::max(last_loss_, at);
    loss_fen_ += fen;
    ++transfers_;
  }
  return at;
}

const std::string& Journey::International() { return rng_.Pick(gang_.international); }
const std::string& Journey::Voip() { return rng_.Pick(gang_.voip); }
const std::string& Journey::Spoofed() { return rng_.Pick(gang_.spoofed); }

const std::string& Journey::LocalSim() {
  if (!gang_.sites.empty() && rng_.Chance(0.5)) return rng_.Pick(gang_.sites.front().sims);
  return rng_.Pick(gang_.local_sims);
}

const std::string& Journey::Url() {
  if (url_.empty()) url_ = rng_.Pick(gang_.urls);
  return url_;
}

const App& Journey::FraudApp() {
  if (app_ == nullptr) app_ = &rng_.Pick(gang_.apps);
  return *app_;
}

const App& Journey::ScreenApp() {
  if (screen_app_ == nullptr) screen_app_ = &rng_.Pick(ScreenSharingApps());
  return *screen_app_;
}

bool Journey::Finish(FraudPlanner* planner, int64_t* directive_seq, TruthWriter* truth,
                     FraudCounts* counts) {
  (void)planner;
  const bool lost = first_loss_ != std::numeric_limits<int64_t>::max();
  const bool seen = first_visible_ != std::numeric_limits<int64_t>::max();
  // The national center spots about a third of victims upstream (bank or carrier data).
  if (seen && rng_.Chance(0.35)) {
    const int64_t at = first_visible_ + Minutes(rng_, 10, 240);
    char id[32];
    std::snprintf(id, sizeof(id), "GJFZ-2026-%06lld", static_cast<long long>(++*directive_seq));
    const bool red = lost && at >= first_loss_;
    if (queue_->Push(
            at, EventType::kDirective,
            DirectiveBody(at, id, resident_.phone, red ? "red" : "orange", FraudCode(fraud_),
                          "国家反诈中心",
                          StrCat("疑似正在遭受", FraudNameZh(fraud_), "诈骗，请立即劝阻")))) {
      ++counts->directives;
    }
  }
  if (lost && rng_.Chance(0.4)) {
    const int64_t at = last_loss_ + Minutes(rng_, 60, 48 * 60);
    std::vector<std::string> accounts;
    for (const MuleAccount* m : mules_) accounts.push_back(m->account);
    if (queue_->Push(at, EventType::kReport,
                     ReportBody(at, resident_.phone, contacts_, accounts, domains_,
                                FraudCode(fraud_), loss_fen_, "被骗后报警"))) {
      ++counts->reports;
    }
  }
  const size_t type = static_cast<size_t>(fraud_) - 1;
  ++counts->victims[type];
  if (lost) {
    ++counts->losses_in_window[type];
    counts->total_loss_fen += loss_fen_;
  }
  std::string line;
  JsonLine j(&line);
  j.Str("kind", "victim").Str("subject", E164(resident_.phone));
  j.Str("person_id", world_.city->PersonId(victim_));
  j.Int("in_base", resident_.tags != 0 ? 1 : 0).Int("age", resident_.age);
  j.Str("fraud_type", FraudCode(fraud_)).Str("fraud_type_zh", FraudNameZh(fraud_));
  j.Int("gang", gang_.id).Time("first_fraud_contact_ts", t0_);
  if (seen) {
    j.Time("first_visible_ts", first_visible_);
  } else {
    j.Null("first_visible_ts");
  }
  if (lost) {
    j.Time("first_loss_ts", first_loss_);
  } else {
    j.Null("first_loss_ts");
  }
  j.YuanStr("total_loss", loss_fen_).Int("transfers", transfers_);
  j.Close();
  truth->Line(line);
  return lost;
}

}  // namespace fz::gen
