// EventContext: what the rule programs read about one event, computed on first use.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <variant>

#include "fz/common/str_cat.h"
#include "fz/detect/detector_impl.h"
#include "fz/normalize/url.h"

namespace fz::detect {
namespace {

using model::EventType;

int IntelSlot(Field f) { return static_cast<int>(f) - static_cast<int>(Field::kIntelParty); }

const absl::TimeZone& ChinaTime() {
  static const absl::TimeZone zone = absl::FixedTimeZone(8 * 3600);
  return zone;
}

}  // namespace

EventContext::EventContext(Detector::Impl& d, const model::Event& event, std::string_view subject,
                           const SubjectState* state)
    : d_(d),
      event_(event),
      subject_(subject),
      state_(state),
      t_(event.header.time),
      t_ms_(absl::ToUnixMillis(event.header.time)),
      party_(CounterpartOf(event)) {}

uint32_t EventContext::PartyHash() {
  // Lazily: only events that are recorded or counted by distinct() need it.
  if (!party_hashed_) {
    party_hashed_ = true;
    if (!party_.empty()) party_hash_ = static_cast<uint32_t>(StableHash(party_)) | 1u;
  }
  return party_hash_;
}

bool EventContext::PartyFacts() {
  if (party_state_ == 0) {
    party_state_ =
        !party_.empty() &&
                normalize::PhoneNormalizer::Default().NormalizeKey(party_, &d_.party_key).ok()
            ? 1
            : -1;
  }
  return party_state_ == 1;
}

// One field's look-up. A template, so that AnyHit() (every event) reaches the fields of its
// event type as direct code; LookupIntel's switch over the field (an indirect jump that
// mispredicted about once an event, the fields asked for following the mix of event types)
// is left to the rules' reads.
template <Field F>
const intel::IntelMatch* EventContext::LookupIntelOf() {
  const auto& body = event_.body;
  const intel::IntelStore& s = d_.intel;
  if constexpr (F == Field::kIntelParty) {
    return party_.empty() ? nullptr : s.MatchPhone(party_, t_ms_);
  } else if constexpr (F == Field::kIntelPayee) {
    if (const auto* x = std::get_if<model::TransferEvent>(&body)) {
      return s.MatchAccount(x->payee_account.value(), t_ms_);
    }
    return nullptr;
  } else if constexpr (F == Field::kIntelDomain) {
    if (const auto* x = std::get_if<model::NetEvent>(&body); x && !x->domain.value().empty()) {
      return s.MatchDomain(x->domain.value(), t_ms_);
    }
    return nullptr;
  } else if constexpr (F == Field::kIntelUrl) {
    if (const auto* x = std::get_if<model::NetEvent>(&body); x && !x->url.empty()) {
      return s.MatchUrl(x->url, t_ms_);
    }
    return nullptr;
  } else if constexpr (F == Field::kIntelApp) {
    if (const auto* x = std::get_if<model::AppEvent>(&body)) return s.MatchApp(x->app_id, t_ms_);
    return nullptr;
  } else if constexpr (F == Field::kIntelImei) {
    std::string_view imei;
    if (const auto* c = std::get_if<model::CallEvent>(&body)) imei = c->imei;
    if (const auto* a = std::get_if<model::AppEvent>(&body)) imei = a->imei;
    return imei.empty() ? nullptr : s.MatchImei(imei, t_ms_);
  } else if constexpr (F == Field::kIntelIp) {
    if (const auto* x = std::get_if<model::NetEvent>(&body); x && !x->ip.empty()) {
      return s.MatchIp(x->ip, t_ms_);
    }
    return nullptr;
  } else if constexpr (F == Field::kIntelSmsUrl) {
    return std::holds_alternative<model::SmsEvent>(body) ? LookupSmsUrl() : nullptr;
  } else if constexpr (F == Field::kIntelSuspect) {
    return std::holds_alternative<model::ReportEvent>(body) ? LookupSuspect() : nullptr;
  } else {
    static_assert(F == Field::kIntelAny);
    // The first hit in the order below, among the fields that can hit on this kind of event
    // (the others give null for it): a net event looks at 3 fields, not 9. Order of the full
    // list: party, payee, url, domain, app, imei, ip, sms_url, suspect.
    static_assert(std::variant_size_v<std::decay_t<decltype(body)>> == 7);
    switch (body.index()) {
      case 0:  // call
        if (const auto* m = IntelOf<Field::kIntelParty>()) return m;
        return IntelOf<Field::kIntelImei>();
      case 1:  // sms
        if (const auto* m = IntelOf<Field::kIntelParty>()) return m;
        return IntelOf<Field::kIntelSmsUrl>();
      case 2:  // net
        if (const auto* m = IntelOf<Field::kIntelUrl>()) return m;
        if (const auto* m = IntelOf<Field::kIntelDomain>()) return m;
        return IntelOf<Field::kIntelIp>();
      case 3:  // app
        if (const auto* m = IntelOf<Field::kIntelApp>()) return m;
        return IntelOf<Field::kIntelImei>();
      case 4:  // transfer
        return IntelOf<Field::kIntelPayee>();
      case 6:  // report
        return IntelOf<Field::kIntelSuspect>();
      default:  // directive
        return nullptr;
    }
  }
}

template <Field F>
const intel::IntelMatch* EventContext::IntelOf() {
  constexpr int slot = static_cast<int>(F) - static_cast<int>(Field::kIntelParty);
  static_assert(slot >= 0 && slot < kIntelSlots);
  if (!intel_done_[slot]) {
    intel_[slot] = LookupIntelOf<F>();
    intel_done_[slot] = true;
  }
  return intel_[slot];
}

const intel::IntelMatch* EventContext::LookupIntel(Field field) {
  switch (field) {
    case Field::kIntelParty:
      return LookupIntelOf<Field::kIntelParty>();
    case Field::kIntelPayee:
      return LookupIntelOf<Field::kIntelPayee>();
    case Field::kIntelDomain:
      return LookupIntelOf<Field::kIntelDomain>();
    case Field::kIntelUrl:
      return LookupIntelOf<Field::kIntelUrl>();
    case Field::kIntelApp:
      return LookupIntelOf<Field::kIntelApp>();
    case Field::kIntelImei:
      return LookupIntelOf<Field::kIntelImei>();
    case Field::kIntelIp:
      return LookupIntelOf<Field::kIntelIp>();
    case Field::kIntelSmsUrl:
      return LookupIntelOf<Field::kIntelSmsUrl>();
    case Field::kIntelSuspect:
      return LookupIntelOf<Field::kIntelSuspect>();
    case Field::kIntelAny:
      return LookupIntelOf<Field::kIntelAny>();
    default:
      return nullptr;
  }
}

const intel::IntelMatch* EventContext::LookupSmsUrl() {
  const auto& sms = std::get<model::SmsEvent>(event_.body);
  // Only SMS that contain a link pay for extraction and normalization.
  for (std::string_view raw : intel::ExtractUrls(sms.text)) {
    StatusOr<normalize::UrlInfo> url = normalize::NormalizeUrl(raw);
    if (!url.ok()) continue;
    if (const intel::IntelMatch* m = d_.intel.MatchUrl(url->url, t_ms_)) {
      sms_url_ = url->url;
      return m;
    }
  }
  return nullptr;
}

const intel::IntelMatch* EventContext::LookupSuspect() {
  const auto& report = std::get<model::ReportEvent>(event_.body);
  const intel::IntelStore& s = d_.intel;
  for (const auto& p : report.suspect_phones) {
    if (const auto* m = s.MatchPhone(p.value(), t_ms_)) return m;
  }
  for (const auto& a : report.suspect_accounts) {
    if (const auto* m = s.MatchAccount(a.value(), t_ms_)) return m;
  }
  for (const auto& dom : report.suspect_domains) {
    if (const auto* m = s.MatchDomain(dom.value(), t_ms_)) return m;
  }
  return nullptr;
}

const intel::IntelMatch* EventContext::Intel(Field field) {
  const int slot = IntelSlot(field);
  if (slot < 0 || slot >= kIntelSlots) return nullptr;
  if (!intel_done_[slot]) {
    intel_[slot] = LookupIntel(field);
    intel_done_[slot] = true;
  }
  return intel_[slot];
}

void EventContext::ScanText() {
  if (text_done_) return;
  text_done_ = true;
  std::string_view text;
  if (const auto* x = std::get_if<model::SmsEvent>(&event_.body)) text = x->text;
  if (const auto* x = std::get_if<model::DirectiveEvent>(&event_.body)) text = x->text;
  if (const auto* x = std::get_if<model::ReportEvent>(&event_.body)) text = x->text;
  if (text.empty() || !d_.scratch) return;
  d_.rules.text_patterns().Scan(text, *d_.scratch, [this](const intel::TextPattern& hit) {
    ++text_count_;
    if (text_best_ == nullptr || hit.weight > text_weight_) {
      text_best_ = &hit;
      text_weight_ = hit.weight;
    }
  });
}

normalize::PhoneFlagSet EventContext::IngestPartyFlags(bool* complete) const {
  uint32_t bits = 0;
  if (const auto* x = std::get_if<model::CallEvent>(&event_.body)) bits = x->caller_flags;
  if (const auto* x = std::get_if<model::SmsEvent>(&event_.body)) bits = x->sender_flags;
  if (complete != nullptr) *complete = (bits & model::kPartyFlagsComplete) != 0;
  return normalize::PhoneFlagSet::FromBits(bits & ~model::kPartyFlagsComplete);
}

int EventContext::TextHits() {
  ScanText();
  return text_count_;
}

bool EventContext::AnyHit() {
  switch (event_.header.type) {
    case EventType::kCall:
      return IntelOf<Field::kIntelParty>() != nullptr || IntelOf<Field::kIntelImei>() != nullptr;
    case EventType::kSms:
      ScanText();
      return text_count_ > 0 || IntelOf<Field::kIntelParty>() != nullptr;
    case EventType::kDirective:
    case EventType::kReport:
      return true;
    default:
      return IntelOf<Field::kIntelAny>() != nullptr;
  }
}

bool EventContext::Quiet() {
  if (AnyHit()) return false;
  const auto type = static_cast<size_t>(event_.header.type);
  for (const Field f : d_.intel_fields_by_type[type]) {
    if (Intel(f) != nullptr) return false;
  }
  return !d_.text_by_type[type] || TextHits() == 0;
}

const model::Person* EventContext::Person() {
  if (person_done_) return person_;
  person_done_ = true;
  if (d_.people == nullptr) return nullptr;
  person_ = d_.people->FindByPhone(subject_);
  if (person_ == nullptr) person_ = d_.people->FindByIdNo(subject_);
  if (person_ == nullptr) {
    if (const auto* x = std::get_if<model::TransferEvent>(&event_.body);
        x && !x->payer_id_no.empty()) {
      person_ = d_.people->FindByIdNo(x->payer_id_no);
    }
  }
  if (person_ != nullptr) age_ = d_.people->AgeAt(*person_, t_);
  return person_;
}

double EventContext::Multiplier() {
  const model::Person* p = Person();
  if (p == nullptr) return 1;
  const ScoringConfig& s = d_.rules.scoring();
  double m = 1;
  for (const auto& [tag, mult] : s.tag_multipliers) {
    for (const std::string& t : p->tags) {
      if (t == tag && mult > m) m = mult;
    }
  }
  for (const ScoringConfig::AgeBand& band : s.age_bands) {
    if (age_ >= band.min_age && age_ <= band.max_age && band.multiplier > m) m = band.multiplier;
  }
  return m;
}

Value EventContext::WindowValue(const Node& node) {
  const int64_t from = t_ms_ - absl::ToInt64Milliseconds(node.within);
  if (node.field == Field::kLinked) {
    const auto* net = std::get_if<model::NetEvent>(&event_.body);
    if (state_ == nullptr || net == nullptr) return Value::Bool(false);
    const uint32_t site = SiteHash(net->domain.value());
    for (auto it = state_->events.rbegin(); it != state_->events.rend(); ++it) {
      if (it->t_ms > t_ms_) continue;
      if (it->t_ms < from) break;
      if (it->type == kSmsLinkEntry && it->party == site) return Value::Bool(true);
    }
    return Value::Bool(false);
  }
  if (node.field == Field::kSeen) {
    if (state_ == nullptr) return Value::Bool(false);
    const std::vector<int32_t>& refs = program_->rule_refs();
    const auto first = refs.begin() + node.arg;
    const auto last = first + node.arg_count;
    for (auto it = state_->firings.rbegin(); it != state_->firings.rend(); ++it) {
      if (it->t_ms > t_ms_) continue;
      if (it->t_ms < from) break;
      if (std::find(first, last, it->rule) != last) return Value::Bool(true);
    }
    return Value::Bool(false);
  }
  const auto type_ok = [&](uint8_t type) {
    return node.type_mask == 0 || (node.type_mask & (1u << type)) != 0;
  };
  // The current event counts too: windows are "including this one".
  const bool self_hit = !node.hits_only || AnyHit();
  const bool self_in = type_ok(static_cast<uint8_t>(event_.header.type)) && self_hit;
  const bool distinct = node.field == Field::kDistinct;
  const uint32_t party_hash = distinct ? PartyHash() : 0;
  if (distinct && party_hash == 0 && state_ == nullptr) return Value::Number(0);
  uint32_t seen_parties[64];
  int n_seen = 0;
  int count = 0;
  if (self_in && (!distinct || party_hash != 0)) {
    if (distinct) seen_parties[n_seen++] = party_hash;
    ++count;
  }
  if (state_ != nullptr) {
    for (auto it = state_->events.rbegin(); it != state_->events.rend(); ++it) {
      if (it->t_ms > t_ms_) continue;
      if (it->t_ms < from) break;
      if (it->type == kSmsLinkEntry) continue;  // not an event
      if (!type_ok(it->type) || (node.hits_only && it->hit == 0)) continue;
      if (!distinct) {
        ++count;
        continue;
      }
      if (it->party == 0) continue;
      bool dup = false;
      for (int i = 0; i < n_seen; ++i) dup |= seen_parties[i] == it->party;
      if (dup) continue;
      if (n_seen < 64) seen_parties[n_seen++] = it->party;
      ++count;
    }
  }
  return Value::Number(count);
}

}  // namespace fz::detect

namespace fz::detect {

Value EventContext::Get(const Node& node, std::string_view arg) {
  const auto& body = event_.body;
  const auto str = [](std::string_view s) { return Value::String(s); };
  switch (node.field) {
    case Field::kType:
      return str(model::EventTypeName(event_.header.type));
    case Field::kSource:
      return str(event_.header.source);
    case Field::kHour:
      return Value::Number(absl::ToCivilHour(t_, ChinaTime()).hour());
    case Field::kDurationS:
      if (const auto* x = std::get_if<model::CallEvent>(&body)) return Value::Number(x->duration_s);
      return Value::Null();
    case Field::kCellId:
      if (const auto* x = std::get_if<model::CallEvent>(&body)) return str(x->cell_id);
      return Value::Null();
    case Field::kImei:
      if (const auto* x = std::get_if<model::CallEvent>(&body)) return str(x->imei);
      if (const auto* x = std::get_if<model::AppEvent>(&body)) return str(x->imei);
      return Value::Null();
    case Field::kText:
      if (const auto* x = std::get_if<model::SmsEvent>(&body)) return str(x->text);
      if (const auto* x = std::get_if<model::DirectiveEvent>(&body)) return str(x->text);
      if (const auto* x = std::get_if<model::ReportEvent>(&body)) return str(x->text);
      return Value::Null();
    case Field::kDomain:
      if (const auto* x = std::get_if<model::NetEvent>(&body)) return str(x->domain.value());
      return Value::Null();
    case Field::kUrl:
      if (const auto* x = std::get_if<model::NetEvent>(&body)) return str(x->url);
      return Value::Null();
    case Field::kIp:
      if (const auto* x = std::get_if<model::NetEvent>(&body)) return str(x->ip);
      return Value::Null();
    case Field::kAppId:
      if (const auto* x = std::get_if<model::AppEvent>(&body)) return str(x->app_id);
      return Value::Null();
    case Field::kAppName:
      if (const auto* x = std::get_if<model::AppEvent>(&body)) return str(x->app_name);
      return Value::Null();
    case Field::kAction:
      if (const auto* x = std::get_if<model::AppEvent>(&body)) return str(x->action);
      return Value::Null();
    case Field::kAmount:
      if (const auto* x = std::get_if<model::TransferEvent>(&body)) {
        return Value::Number(static_cast<double>(x->amount.fen) / 100.0);
      }
      return Value::Null();
    case Field::kChannel:
      if (const auto* x = std::get_if<model::TransferEvent>(&body)) return str(x->channel);
      return Value::Null();
    case Field::kPayee:
      if (const auto* x = std::get_if<model::TransferEvent>(&body)) {
        return str(x->payee_account.value());
      }
      return Value::Null();
    case Field::kPayeeName:
      if (const auto* x = std::get_if<model::TransferEvent>(&body)) return str(x->payee_name);
      return Value::Null();
    case Field::kLevel:
      if (const auto* x = std::get_if<model::DirectiveEvent>(&body)) {
        return str(model::WarningLevelName(x->level));
      }
      return Value::Null();
    case Field::kEventFraudType:
      if (const auto* x = std::get_if<model::DirectiveEvent>(&body)) {
        return str(d_.rules.fraud_types().Info(x->fraud_type).code);
      }
      if (const auto* x = std::get_if<model::ReportEvent>(&body)) {
        return str(d_.rules.fraud_types().Info(x->fraud_type).code);
      }
      return Value::Null();
    case Field::kIssuer:
      if (const auto* x = std::get_if<model::DirectiveEvent>(&body)) return str(x->issuer);
      return Value::Null();
    case Field::kLoss:
      if (const auto* x = std::get_if<model::ReportEvent>(&body)) {
        return Value::Number(static_cast<double>(x->loss.fen) / 100.0);
      }
      return Value::Null();
    case Field::kSuspectCount:
      if (const auto* x = std::get_if<model::ReportEvent>(&body)) {
        return Value::Number(static_cast<double>(
            x->suspect_phones.size() + x->suspect_accounts.size() + x->suspect_domains.size()));
      }
      return Value::Null();
    case Field::kParty:
      return party_.empty() ? Value::Null() : str(party_);
    case Field::kPartyInternational:
      return Value::Bool(PartyFacts() && d_.party_key.country_code != 86 &&
                         d_.party_key.kind != normalize::PhoneKind::kOpaque);
    case Field::kPartyKind:
      return PartyFacts() ? str(normalize::PhoneKindName(d_.party_key.kind)) : Value::Null();
    case Field::kPartyCityCode:
      return PartyFacts() ? str(d_.party_key.city_code()) : Value::Null();
    case Field::kPartyLocal:
      return Value::Bool(PartyFacts() && d_.party_key.city_code() == d_.rules.scoring().local_city);
    case Field::kPartyValid:
      return Value::Bool(PartyFacts() && d_.party_key.valid);
    case Field::kPartySpoofed: {
      // Content signs (unallocated range, repeated or sequential digits) survive
      // canonicalization; "a service number written with +86" is only in the source row, so
      // it comes from the flags ingest kept (IngestPartyFlags).
      bool complete = false;
      const normalize::PhoneFlagSet ingest = IngestPartyFlags(&complete);
      if (ingest.Has(normalize::PhoneFlag::kSuspectedSpoof)) return Value::Bool(true);
      // The flags of the digits are the same from the number as written and from its
      // canonical form (phone_normalizer_test): when ingest kept them all, no second
      // normalization (it was ~5% of the detector's time, for every 120-300 s call).
      if (!complete && !PartyFacts()) return Value::Bool(false);
      const normalize::PhoneFlagSet f = complete ? ingest : d_.party_key.flags;
      return Value::Bool(f.Has(normalize::PhoneFlag::kUnallocatedMobilePrefix) ||
                         f.Has(normalize::PhoneFlag::kUnallocatedRange) ||
                         f.Has(normalize::PhoneFlag::kRepeatedDigits) ||
                         f.Has(normalize::PhoneFlag::kSequentialDigits));
    }
    case Field::kPartyFlag: {
      const auto flag = static_cast<normalize::PhoneFlag>(node.arg);
      if (IngestPartyFlags().Has(flag)) return Value::Bool(true);
      // Re-normalizing a canonical service number always reports "+86": not evidence.
      if (flag == normalize::PhoneFlag::kServiceWithCountryCode ||
          flag == normalize::PhoneFlag::kSuspectedSpoof ||
          flag == normalize::PhoneFlag::kHiddenPrefix) {
        return Value::Bool(false);
      }
      return Value::Bool(PartyFacts() && d_.party_key.flags.Has(flag));
    }
    case Field::kTextHit:
      ScanText();
      return Value::Bool(text_count_ > 0);
    case Field::kTextWeight:
      ScanText();
      return Value::Number(text_weight_);
    case Field::kTextCount:
      ScanText();
      return Value::Number(text_count_);
    case Field::kTextFraudType:
      ScanText();
      if (text_best_ == nullptr) return Value::Null();
      return str(d_.rules.fraud_types().Info(text_best_->fraud_type).code);
    case Field::kPersonKnown:
      return Value::Bool(Person() != nullptr);
    case Field::kPersonAge:
      Person();
      return age_ < 0 ? Value::Null() : Value::Number(age_);
    case Field::kPersonUnit:
      return Person() == nullptr ? Value::Null() : str(person_->unit.value());
    case Field::kPersonTag:
      if (Person() == nullptr) return Value::Bool(false);
      for (const std::string& t : person_->tags) {
        if (t == arg) return Value::Bool(true);
      }
      return Value::Bool(false);
    case Field::kScore: {
      if (state_ == nullptr || !state_->has_score) return Value::Number(0);
      const double dt_h = static_cast<double>(t_ms_ - state_->score_t_ms) / 3.6e6;
      const double hl_h = absl::ToDoubleHours(d_.rules.scoring().half_life);
      return Value::Number(dt_h <= 0 ? state_->score : state_->score * std::exp2(-dt_h / hl_h));
    }
    case Field::kCount:
    case Field::kDistinct:
    case Field::kSeen:
    case Field::kLinked:
      return WindowValue(node);
    case Field::kDomainTld:
      if (const auto* x = std::get_if<model::NetEvent>(&body)) {
        const std::string_view d = x->domain.value();
        const size_t dot = d.rfind('.');
        return str(dot == std::string_view::npos ? d : d.substr(dot + 1));
      }
      return Value::Null();
    case Field::kDomainKnown:
      if (const auto* x = std::get_if<model::NetEvent>(&body)) {
        return Value::Bool(d_.intel.IsWhitelistedDomain(x->domain.value()));
      }
      return Value::Null();
    case Field::kAppKnown:
      if (const auto* x = std::get_if<model::AppEvent>(&body)) {
        return Value::Bool(d_.intel.IsWhitelisted(model::IndicatorKind::kApp, x->app_id));
      }
      return Value::Null();
    default:
      break;
  }
  if (node.field >= Field::kIntelParty && node.field <= Field::kIntelAny) {
    const intel::IntelMatch* m = Intel(node.field);
    switch (node.intel_part) {
      case IntelPart::kHit:
        return Value::Bool(m != nullptr);
      case IntelPart::kFraudType:
        return m == nullptr ? Value::Null() : str(d_.rules.fraud_types().Info(m->fraud_type).code);
      case IntelPart::kConfidence:
        return m == nullptr ? Value::Null() : Value::Number(m->confidence);
      case IntelPart::kSource:
        return m == nullptr ? Value::Null() : str(m->source);
    }
  }
  return Value::Null();
}

}  // namespace fz::detect
