// The hash chain of the audit log: hash_n = SHA-256(hash_{n-1} || fields of row n), hex.
// Changing, removing or reordering any row breaks every later hash, so `fanzha audit verify`
// detects tampering even by someone who can bypass the append-only triggers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fz::store {

struct AuditEntry {
  int64_t seq = 0;
  int64_t at_us = 0;
  std::string actor, role, unit, action, object, detail;
};

// 64 '0's: the prev_hash of row 1.
const std::string& GenesisHash();

// SHA-256 (libsodium) over prev_hash and the entry's fields, each length-prefixed so that no
// two different rows hash the same bytes.
std::string ChainHash(std::string_view prev_hash, const AuditEntry& entry);

}  // namespace fz::store
