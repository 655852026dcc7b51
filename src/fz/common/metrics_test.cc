#include "fz/common/metrics.h"

#include <cmath>
#include <limits>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fz {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

template <typename T>
T Must(StatusOr<T> result) {
  EXPECT_TRUE(result.ok()) << result.status();
  return std::move(result).value();
}

TEST(MetricsTest, RendersExactPrometheusText) {
  MetricsRegistry registry;
  Counter* events = Must(registry.RegisterCounter("fz_events_total", "Events read."));
  events->Inc();
  events->Inc(2);
  Gauge* depth = Must(registry.RegisterGauge("fz_queue_depth", "Waiting.\nSecond \\ line"));
  depth->Set(2.5);
  CounterFamily* warnings = Must(
      registry.RegisterCounterFamily("fz_warnings_total", "Warnings issued.", {"channel", "unit"}));
  Must(warnings->WithLabels({"sms", "640104"}))->Inc();
  Must(warnings->WithLabels({"a\"b\\c\nd", "x"}))->Inc(5);
  Histogram* latency =
      Must(registry.RegisterHistogram("fz_detect_seconds", "Detection latency.", {0.25, 0.5, 1}));
  for (double value : {0.25, 0.5, 0.5, 2.0}) latency->Observe(value);

  EXPECT_EQ(registry.RenderPrometheus(),
            "# HELP fz_detect_seconds Detection latency.\n"
            "# TYPE fz_detect_seconds histogram\n"
            "fz_detect_seconds_bucket{le=\"0.25\"} 1\n"
            "fz_detect_seconds_bucket{le=\"0.5\"} 3\n"
            "fz_detect_seconds_bucket{le=\"1\"} 3\n"
            "fz_detect_seconds_bucket{le=\"+Inf\"} 4\n"
            "fz_detect_seconds_sum 3.25\n"
            "fz_detect_seconds_count 4\n"
            "# HELP fz_events_total Events read.\n"
            "# TYPE fz_events_total counter\n"
            "fz_events_total 3\n"
            "# HELP fz_queue_depth Waiting.\\nSecond \\\\ line\n"
            "# TYPE fz_queue_depth gauge\n"
            "fz_queue_depth 2.5\n"
            "# HELP fz_warnings_total Warnings issued.\n"
            "# TYPE fz_warnings_total counter\n"
            "fz_warnings_total{channel=\"a\\\"b\\\\c\\nd\",unit=\"x\"} 5\n"
            "fz_warnings_total{channel=\"sms\",unit=\"640104\"} 1\n");
}

TEST(MetricsTest, LabelledHistogramPutsLeLast) {
  MetricsRegistry registry;
  HistogramFamily* family = Must(registry.RegisterHistogramFamily("fz_h", "H.", {"channel"}, {1}));
  Must(family->WithLabels({"sms"}))->Observe(0.5);
  EXPECT_EQ(registry.RenderPrometheus(),
            "# HELP fz_h H.\n"
            "# TYPE fz_h histogram\n"
            "fz_h_bucket{channel=\"sms\",le=\"1\"} 1\n"
            "fz_h_bucket{channel=\"sms\",le=\"+Inf\"} 1\n"
            "fz_h_sum{channel=\"sms\"} 0.5\n"
            "fz_h_count{channel=\"sms\"} 1\n");
}

TEST(MetricsTest, GaugeSpecialValuesAndEmptyFamilies) {
  MetricsRegistry registry;
  Must(registry.RegisterCounterFamily("fz_unused_total", "No children yet.", {"a"}));
  GaugeFamily* gauges = Must(registry.RegisterGaugeFamily("fz_g", "G.", {"k"}));
  Must(gauges->WithLabels({"inf"}))->Set(std::numeric_limits<double>::infinity());
  Must(gauges->WithLabels({"nan"}))->Set(std::nan(""));
  Must(gauges->WithLabels({"neg"}))->Set(-1e-9);
  Gauge* moved = Must(gauges->WithLabels({"zmoved"}));
  moved->Inc();
  moved->Add(2.5);
  moved->Dec();
  EXPECT_EQ(registry.RenderPrometheus(),
            "# HELP fz_g G.\n"
            "# TYPE fz_g gauge\n"
            "fz_g{k=\"inf\"} +Inf\n"
            "fz_g{k=\"nan\"} NaN\n"
            "fz_g{k=\"neg\"} -1e-09\n"
            "fz_g{k=\"zmoved\"} 2.5\n");
}

TEST(MetricsTest, HistogramBucketsAreInclusiveAndNanGoesToInf) {
  Histogram histogram({1, 2});
  for (double value : {-5.0, 1.0, 1.5, 2.0, 3.0, std::nan("")}) histogram.Observe(value);
  EXPECT_THAT(histogram.BucketCounts(), ElementsAre(2, 2, 2));
  EXPECT_EQ(histogram.Count(), 6u);
  EXPECT_TRUE(std::isnan(histogram.Sum()));
}

TEST(MetricsTest, RegisteringAgainReturnsTheSameMetricOrFails) {
  MetricsRegistry registry;
  Counter* first = Must(registry.RegisterCounter("fz_x_total", "X."));
  EXPECT_EQ(Must(registry.RegisterCounter("fz_x_total", "X.")), first);
  const Status as_gauge = registry.RegisterGauge("fz_x_total", "X.").status();
  EXPECT_EQ(as_gauge.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(as_gauge.message()), HasSubstr("already registered as a counter"));
  EXPECT_EQ(registry.RegisterCounterFamily("fz_x_total", "X.", {"a"}).status().code(),
            absl::StatusCode::kAlreadyExists);
  Must(registry.RegisterHistogram("fz_h", "H.", {1, 2}));
  EXPECT_EQ(registry.RegisterHistogram("fz_h", "H.", {1, 3}).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST(MetricsTest, RejectsInvalidNamesLabelsAndBuckets) {
  MetricsRegistry registry;
  for (const char* name : {"", "9lives", "fz-x", "fz x"}) {
    EXPECT_EQ(registry.RegisterCounter(name, "").status().code(),
              absl::StatusCode::kInvalidArgument)
        << name;
  }
  EXPECT_TRUE(registry.RegisterCounter("fz:recorded_total", "").ok());
  EXPECT_FALSE(registry.RegisterCounterFamily("fz_a", "", {"a:b"}).ok());
  EXPECT_FALSE(registry.RegisterCounterFamily("fz_b", "", {"__reserved"}).ok());
  EXPECT_FALSE(registry.RegisterCounterFamily("fz_c", "", {"x", "x"}).ok());
  EXPECT_FALSE(registry.RegisterHistogramFamily("fz_d", "", {"le"}, {1}).ok());
  EXPECT_TRUE(registry.RegisterCounterFamily("fz_e", "", {"le"}).ok());
  EXPECT_FALSE(registry.RegisterHistogram("fz_f", "", {2, 1}).ok());
  EXPECT_FALSE(registry.RegisterHistogram("fz_g", "", {1, 1}).ok());
  EXPECT_FALSE(
      registry.RegisterHistogram("fz_i", "", {1, std::numeric_limits<double>::infinity()}).ok());
  EXPECT_TRUE(registry.RegisterHistogram("fz_j", "", {}).ok());
}

TEST(MetricsTest, WithLabelsChecksArityAndReturnsStableChildren) {
  MetricsRegistry registry;
  CounterFamily* family = Must(registry.RegisterCounterFamily("fz_w_total", "W.", {"a", "b"}));
  EXPECT_EQ(family->WithLabels({"only one"}).status().code(), absl::StatusCode::kInvalidArgument);
  Counter* child = Must(family->WithLabels({"x", "y"}));
  for (int i = 0; i < 100; ++i) Must(family->WithLabels({std::to_string(i), "y"}));
  EXPECT_EQ(Must(family->WithLabels({"x", "y"})), child);
  EXPECT_NE(Must(family->WithLabels({"y", "x"})), child);
}

TEST(MetricsTest, ConcurrentUpdatesFromTwoThreadsSum) {
  MetricsRegistry registry;
  Counter* counter = Must(registry.RegisterCounter("fz_c_total", "C."));
  Gauge* gauge = Must(registry.RegisterGauge("fz_g", "G."));
  Histogram* histogram = Must(registry.RegisterHistogram("fz_h", "H.", {10}));
  CounterFamily* family = Must(registry.RegisterCounterFamily("fz_f_total", "F.", {"k"}));
  constexpr int kPerThread = 100000;
  auto work = [&] {
    Counter* child = Must(family->WithLabels({"shared"}));
    for (int i = 0; i < kPerThread; ++i) {
      counter->Inc();
      gauge->Add(1);
      histogram->Observe(i % 20);
      child->Inc();
    }
  };
  std::thread first(work);
  std::thread second(work);
  first.join();
  second.join();
  EXPECT_EQ(counter->Value(), 2u * kPerThread);
  EXPECT_EQ(gauge->Value(), 2.0 * kPerThread);
  EXPECT_EQ(histogram->Count(), 2u * kPerThread);
  EXPECT_THAT(histogram->BucketCounts(),
              ElementsAre(2 * kPerThread * 11 / 20, 2 * kPerThread * 9 / 20));
  EXPECT_EQ(Must(family->WithLabels({"shared"}))->Value(), 2u * kPerThread);
  EXPECT_THAT(registry.RenderPrometheus(), HasSubstr("fz_f_total{k=\"shared\"} 200000\n"));
}

TEST(MetricsTest, BucketHelpers) {
  EXPECT_THAT(ExponentialBuckets(0.001, 10, 4), ElementsAre(0.001, 0.01, 0.1, 1));
  EXPECT_THAT(LinearBuckets(1, 2, 3), ElementsAre(1, 3, 5));
  EXPECT_TRUE(ExponentialBuckets(1, 2, 0).empty());
}

}  // namespace
}  // namespace fz
