#include "fz/store/audit_chain.h"

#include "gtest/gtest.h"

namespace fz::store {
namespace {

TEST(AuditChain, HashDependsOnEveryFieldAndThePreviousHash) {
  AuditEntry e{1, 1000, "wang", "officer", "640104001", "transition", "warning:1", "a->b"};
  std::string h = ChainHash(GenesisHash(), e);
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h, ChainHash(GenesisHash(), e));
  AuditEntry changed = e;
  changed.detail = "a->c";
  EXPECT_NE(h, ChainHash(GenesisHash(), changed));
  EXPECT_NE(h, ChainHash(h, e));
  // Field boundaries count: moving a character between fields changes the hash.
  AuditEntry shifted = e;
  shifted.actor = "wan";
  shifted.role = "gofficer";
  EXPECT_NE(h, ChainHash(GenesisHash(), shifted));
}

}  // namespace
}  // namespace fz::store
