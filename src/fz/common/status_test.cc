#include "fz/common/status.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace fz {
namespace {

Status FailIf(bool fail) { return fail ? absl::InvalidArgumentError("boom") : absl::OkStatus(); }

Status CountUnlessFailed(bool fail, int* reached) {
  FZ_RETURN_IF_ERROR(FailIf(fail));
  ++*reached;
  return absl::OkStatus();
}

TEST(StatusMacrosTest, ReturnIfErrorPropagatesTheError) {
  int reached = 0;
  const Status status = CountUnlessFailed(true, &reached);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(status.message()), "boom");
  EXPECT_EQ(reached, 0);
}

TEST(StatusMacrosTest, ReturnIfErrorContinuesOnOk) {
  int reached = 0;
  EXPECT_TRUE(CountUnlessFailed(false, &reached).ok());
  EXPECT_EQ(reached, 1);
}

// Move-only, so the macro must move the value out of the StatusOr.
StatusOr<std::unique_ptr<int>> MakeInt(bool fail, int value) {
  if (fail) return absl::NotFoundError("no int");
  return std::make_unique<int>(value);
}

StatusOr<int> SumOfTwo(bool fail_first, bool fail_second) {
  FZ_ASSIGN_OR_RETURN(std::unique_ptr<int> first, MakeInt(fail_first, 20));
  int second = 0;
  FZ_ASSIGN_OR_RETURN(std::unique_ptr<int> boxed, MakeInt(fail_second, 22));
  FZ_ASSIGN_OR_RETURN(second, StatusOr<int>(*boxed));  // Assigns to an existing lvalue.
  return *first + second;
}

TEST(StatusMacrosTest, AssignOrReturnYieldsTheValue) {
  const StatusOr<int> sum = SumOfTwo(false, false);
  ASSERT_TRUE(sum.ok()) << sum.status();
  EXPECT_EQ(*sum, 42);
}

TEST(StatusMacrosTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(SumOfTwo(true, false).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(SumOfTwo(false, true).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace fz
