#include "fz/common/clock.h"

#include <thread>

#include <gtest/gtest.h>

namespace fz {
namespace {

TEST(SimulatedClockTest, StartsAtTheGivenTime) {
  const absl::Time start = absl::FromUnixSeconds(1700000000);
  SimulatedClock clock(start);
  EXPECT_EQ(clock.Now(), start);
  EXPECT_EQ(SimulatedClock().Now(), absl::UnixEpoch());
}

TEST(SimulatedClockTest, OnlyMovesWhenAdvanced) {
  const absl::Time start = absl::FromUnixSeconds(1700000000);
  SimulatedClock clock(start);
  Clock* as_interface = &clock;
  EXPECT_EQ(as_interface->Now(), start);
  clock.Advance(absl::Hours(48));
  EXPECT_EQ(as_interface->Now(), start + absl::Hours(48));
  clock.Advance(absl::Milliseconds(1));
  EXPECT_EQ(clock.Now(), start + absl::Hours(48) + absl::Milliseconds(1));
}

TEST(SimulatedClockTest, SetTimeMovesEitherWay) {
  SimulatedClock clock(absl::FromUnixSeconds(1000));
  clock.SetTime(absl::FromUnixSeconds(5000));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(5000));
  clock.SetTime(absl::FromUnixSeconds(10));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(10));
}

TEST(SimulatedClockTest, ConcurrentAdvancesAllCount) {
  SimulatedClock clock;
  constexpr int kSteps = 10000;
  auto advance = [&clock] {
    for (int i = 0; i < kSteps; ++i) clock.Advance(absl::Milliseconds(1));
  };
  std::thread first(advance);
  std::thread second(advance);
  first.join();
  second.join();
  EXPECT_EQ(clock.Now(), absl::UnixEpoch() + absl::Milliseconds(2 * kSteps));
}

TEST(RealClockTest, FollowsTheWallClock) {
  const absl::Time before = absl::Now();
  const absl::Time now = DefaultClock()->Now();
  const absl::Time after = absl::Now();
  EXPECT_LE(before, now);
  EXPECT_LE(now, after);
  EXPECT_EQ(DefaultClock(), DefaultClock());
}

}  // namespace
}  // namespace fz
