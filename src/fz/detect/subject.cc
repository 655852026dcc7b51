#include "fz/detect/subject.h"

#include <type_traits>
#include <variant>

namespace fz::detect {

namespace {
SubjectRef SubjectOfBody(const model::Event& event) {
  using model::SubjectKind;
  return std::visit(
      [](const auto& body) -> SubjectRef {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, model::CallEvent>) {
          return {body.callee.value(), SubjectKind::kPhone};
        } else if constexpr (std::is_same_v<T, model::SmsEvent>) {
          return {body.receiver.value(), SubjectKind::kPhone};
        } else if constexpr (std::is_same_v<T, model::NetEvent> ||
                             std::is_same_v<T, model::AppEvent>) {
          return {body.subscriber.value(), SubjectKind::kPhone};
        } else if constexpr (std::is_same_v<T, model::TransferEvent>) {
          if (!body.payer_phone.value().empty())
            return {body.payer_phone.value(), SubjectKind::kPhone};
          return {body.payer_account.value(), SubjectKind::kAccount};
        } else if constexpr (std::is_same_v<T, model::DirectiveEvent>) {
          if (!body.subject_phone.value().empty()) {
            return {body.subject_phone.value(), SubjectKind::kPhone};
          }
          if (!body.subject_account.value().empty()) {
            return {body.subject_account.value(), SubjectKind::kAccount};
          }
          return {body.subject_id_no, SubjectKind::kIdNo};
        } else {
          return {body.reporter.value(), SubjectKind::kPhone};
        }
      },
      event.body);
}
}  // namespace

SubjectRef SubjectOf(const model::Event& event) {
  SubjectRef subject = SubjectOfBody(event);
  subject.hash = SubjectHash(subject.id);
  return subject;
}

SubjectRef SubjectOf(const model::Event& event, uint64_t subject_hash) {
  SubjectRef subject = SubjectOfBody(event);
  subject.hash = subject_hash;
  return subject;
}

model::EventKeys KeysOf(const model::Event& event) {
  return model::EventKeys{.route = SubjectHash(SubjectOfBody(event).id),
                          .id = EventIdHash(event.header.id.value())};
}

std::string_view CounterpartOf(const model::Event& event) {
  if (const auto* call = std::get_if<model::CallEvent>(&event.body)) return call->caller.value();
  if (const auto* sms = std::get_if<model::SmsEvent>(&event.body)) return sms->sender.value();
  return {};
}

uint64_t StableHash(std::string_view text, uint64_t seed) {
  uint64_t h = 14695981039346656037ull ^ (seed * 0x9E3779B97F4A7C15ull);
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  // Final avalanche (splitmix64) so that low bits are usable for sharding.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

uint32_t SiteHash(std::string_view host) {
  constexpr size_t npos = std::string_view::npos;
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  size_t keep_from = 0;
  const size_t d1 = host.rfind('.');  // before the TLD
  if (d1 != npos && d1 > 0) {
    const size_t d2 = host.rfind('.', d1 - 1);  // before the second level
    const size_t second_from = d2 == npos ? 0 : d2 + 1;
    const std::string_view second = host.substr(second_from, d1 - second_from);
    const bool generic = host.size() - d1 - 1 == 2 &&
                         (second == "com" || second == "net" || second == "org" ||
                          second == "gov" || second == "edu" || second == "ac" || second == "co");
    if (!generic) {
      keep_from = second_from;
    } else if (d2 != npos && d2 > 0) {
      const size_t d3 = host.rfind('.', d2 - 1);
      keep_from = d3 == npos ? 0 : d3 + 1;
    }
  }
  const auto h = static_cast<uint32_t>(StableHash(host.substr(keep_from), 0x51));
  return h == 0 ? 1 : h;
}

}  // namespace fz::detect
