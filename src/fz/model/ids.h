// Identifiers of the domain objects and of the things fraud is traced through.
//
// Subject identifiers (PhoneNumber, AccountNo, Domain) always hold the canonical form made by
// fz/normalize (E.164 "+8613895101234", opaque "h:<hex>", digits-only account, lower-case
// ASCII domain); constructing one from raw input is the normalizer's job, not the caller's.
#pragma once

#include <cstdint>
#include <string>

#include "fz/model/strong_id.h"

namespace fz::model {

struct EventIdTag {};
struct WarningIdTag {};
struct PersonIdTag {};
struct CaseIdTag {};
struct UserIdTag {};
struct IndicatorIdTag {};
struct StopPaymentIdTag {};
struct PhoneNumberTag {};
struct AccountNoTag {};
struct DomainTag {};
struct UnitCodeTag {};

// Event ids come from the source (carrier record id, bank serial): re-delivery is idempotent.
using EventId = StrongId<EventIdTag, std::string>;
using WarningId = StrongId<WarningIdTag, int64_t>;
using PersonId = StrongId<PersonIdTag, std::string>;
using CaseId = StrongId<CaseIdTag, int64_t>;
using UserId = StrongId<UserIdTag, int64_t>;
using IndicatorId = StrongId<IndicatorIdTag, int64_t>;
using StopPaymentId = StrongId<StopPaymentIdTag, int64_t>;

using PhoneNumber = StrongId<PhoneNumberTag, std::string>;
using AccountNo = StrongId<AccountNoTag, std::string>;
using Domain = StrongId<DomainTag, std::string>;

// A unit code: a GB/T 2260 division code ("640100", "640104"), a township code
// ("640104001"), or a code the center assigns to a police station or community
// ("640104001P01"). Units, not divisions, own warnings.
using UnitCode = StrongId<UnitCodeTag, std::string>;

}  // namespace fz::model
