#include "fz/auth/secrets.h"

#include <sodium.h>

#include <array>
#include <cstdlib>
#include <mutex>

namespace fz::auth {
namespace {

static_assert(AuthOptions{}.pwhash_opslimit == crypto_pwhash_OPSLIMIT_INTERACTIVE);
static_assert(AuthOptions{}.pwhash_memlimit == crypto_pwhash_MEMLIMIT_INTERACTIVE);

void EnsureSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Without a working random source no token is safe to hand out: stop rather than go on.
    if (sodium_init() < 0) std::abort();
  });
}

}  // namespace

StatusOr<std::string> HashPassword(std::string_view password, const AuthOptions& options) {
  EnsureSodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str(out.data(), password.data(), password.size(), options.pwhash_opslimit,
                        options.pwhash_memlimit) != 0) {
    return absl::ResourceExhaustedError("password hashing failed: out of memory for argon2id");
  }
  return std::string(out.data());
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  EnsureSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool NeedsRehash(const std::string& hash, const AuthOptions& options) {
  EnsureSodium();
  return crypto_pwhash_str_needs_rehash(hash.c_str(), options.pwhash_opslimit,
                                        options.pwhash_memlimit) != 0;
}

std::string RandomToken() {
  EnsureSodium();
  std::array<unsigned char, 32> bytes;
  randombytes_buf(bytes.data(), bytes.size());
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::array<char, sodium_base64_ENCODED_LEN(32, kVariant)> text{};
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), kVariant);
  sodium_memzero(bytes.data(), bytes.size());
  return std::string(text.data());
}

std::string Sha256Hex(std::string_view data) {
  EnsureSodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data());
}

std::string GeneratePassword(size_t length) {
  EnsureSodium();
  constexpr std::string_view kAlphabet =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  std::string out(length, ' ');
  for (char& c : out) c = kAlphabet[randombytes_uniform(kAlphabet.size())];
  return out;
}

}  // namespace fz::auth
