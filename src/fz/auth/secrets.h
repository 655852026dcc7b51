// Secrets for accounts, all from libsodium: argon2id password hashes, random session tokens
// and API keys, their SHA-256 (the only form stored), and generated passwords. Internal to
// fz::auth. Thread-safe (libsodium is, once sodium_init has run; every function here runs it).
//
//   std::string token = RandomToken();           // handed out once
//   std::string stored = Sha256Hex(token);       // what the sessions table keeps
#pragma once

#include <string>
#include <string_view>

#include "fz/auth/accounts.h"
#include "fz/common/status.h"

namespace fz::auth {

// An argon2id string ("$argon2id$v=19$m=...") with the cost from `options`.
StatusOr<std::string> HashPassword(std::string_view password, const AuthOptions& options);
// False for a wrong password and for anything that is not a valid hash string.
bool VerifyPassword(const std::string& hash, std::string_view password);
// True when `hash` was made with another cost than `options` asks for now.
bool NeedsRehash(const std::string& hash, const AuthOptions& options);

// 32 random bytes, base64url without padding (43 characters).
std::string RandomToken();
// Lower-case hex SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);
// `length` characters from letters and digits without look-alikes (0/O, 1/l/I): 5.8 bits each.
std::string GeneratePassword(size_t length);

}  // namespace fz::auth
