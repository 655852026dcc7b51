#include "fz/store/audit_chain.h"

#include <sodium.h>

#include <array>

namespace fz::store {
namespace {

void Absorb(crypto_hash_sha256_state* state, std::string_view field) {
  uint64_t n = field.size();
  unsigned char len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(n >> (8 * i));
  crypto_hash_sha256_update(state, len, sizeof len);
  crypto_hash_sha256_update(state, reinterpret_cast<const unsigned char*>(field.data()),
                            field.size());
}

}  // namespace

const std::string& GenesisHash() {
  static const std::string kGenesis(64, '0');
  return kGenesis;
}

std::string ChainHash(std::string_view prev_hash, const AuditEntry& e) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  Absorb(&state, prev_hash);
  Absorb(&state, std::to_string(e.seq));
  Absorb(&state, std::to_string(e.at_us));
  for (std::string_view f :
       {std::string_view(e.actor), std::string_view(e.role), std::string_view(e.unit),
        std::string_view(e.action), std::string_view(e.object), std::string_view(e.detail)}) {
    Absorb(&state, f);
  }
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
  crypto_hash_sha256_final(&state, digest.data());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(digest.size() * 2, '0');
  for (size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
  return out;
}

}  // namespace fz::store
