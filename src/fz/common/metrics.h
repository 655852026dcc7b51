// Metrics: counters, gauges and histograms, with or without labels, rendered in the Prometheus
// text exposition format 0.0.4 for GET /metrics.
//
//   fz::MetricsRegistry registry;
//   FZ_ASSIGN_OR_RETURN(fz::Counter* events, registry.RegisterCounter("fz_events_total", "..."));
//   FZ_ASSIGN_OR_RETURN(fz::CounterFamily* warnings,
//                       registry.RegisterCounterFamily("fz_warnings_total", "...", {"channel"}));
//   FZ_ASSIGN_OR_RETURN(fz::Counter* sms_warnings, warnings->WithLabels({"sms"}));  // Cache it.
//   events->Inc();        // Hot path: one relaxed atomic add, no lock, no allocation.
//   sms_warnings->Inc();
//   std::string body = registry.RenderPrometheus();
//
// Ownership: the registry owns every family and a family owns its children; the pointers it
// hands out stay valid for the registry's lifetime. Thread-safety: everything is safe to call
// concurrently. Inc/Set/Add/Observe never lock or allocate; Register* and WithLabels lock once,
// so callers look a child up at start-up (or once per new label value) and keep the pointer.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "fz/common/status.h"

namespace fz {

// A monotonically increasing count, e.g. events seen.
class Counter {
 public:
  void Inc(uint64_t delta = 1) { value_.fetch_add(delta, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A value that goes up and down, e.g. queue depth.
class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double delta);
  void Inc() { Add(1); }
  void Dec() { Add(-1); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Counts observations into fixed buckets, e.g. detection latency in seconds. Bucket i counts
// values <= upper_bounds[i]; larger values (and NaN) fall in the implicit +Inf bucket.
class Histogram {
 public:
  // Precondition: `upper_bounds` is finite and strictly increasing (the registry checks it).
  explicit Histogram(std::vector<double> upper_bounds);

  void Observe(double value);

  const std::vector<double>& upper_bounds() const { return upper_bounds_; }
  // Per-bucket (not cumulative) counts; the last one is the +Inf bucket.
  std::vector<uint64_t> BucketCounts() const;
  uint64_t Count() const;
  double Sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  const std::vector<double> upper_bounds_;
  const std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // upper_bounds_.size() + 1.
  std::atomic<double> sum_{0};
};

enum class MetricType { kCounter, kGauge, kHistogram };

// Common part of a metric family: its name, help, type and label names.
class MetricFamilyBase {
 public:
  virtual ~MetricFamilyBase() = default;
  MetricFamilyBase(const MetricFamilyBase&) = delete;
  MetricFamilyBase& operator=(const MetricFamilyBase&) = delete;

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  MetricType type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  const std::vector<double>& upper_bounds() const { return upper_bounds_; }

  // Appends "# HELP", "# TYPE" and one sample line per child to `out`; nothing when no child
  // exists yet.
  virtual void AppendPrometheus(std::string* out) const = 0;

 protected:
  MetricFamilyBase(std::string name, std::string help, MetricType type,
                   std::vector<std::string> label_names, std::vector<double> upper_bounds);

 private:
  const std::string name_;
  const std::string help_;
  const MetricType type_;
  const std::vector<std::string> label_names_;
  const std::vector<double> upper_bounds_;  // Histograms only.
};

// Orders label-value tuples; transparent so lookups by string_view do not allocate.
struct LabelValuesLess {
  using is_transparent = void;
  bool operator()(absl::Span<const std::string> a, absl::Span<const std::string> b) const;
  bool operator()(absl::Span<const std::string> a, absl::Span<const std::string_view> b) const;
  bool operator()(absl::Span<const std::string_view> a, absl::Span<const std::string> b) const;
};

// A metric with label names and one child T per tuple of label values.
template <typename T>
class MetricFamily final : public MetricFamilyBase {
 public:
  MetricFamily(std::string name, std::string help, std::vector<std::string> label_names,
               std::vector<double> upper_bounds);

  // Returns the child for `label_values` (one per label name, in order), creating it on first
  // use. InvalidArgument if the number of values is wrong. Locks once: cache the result.
  StatusOr<T*> WithLabels(absl::Span<const std::string_view> label_values);

  void AppendPrometheus(std::string* out) const override;

 private:
  mutable absl::Mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<T>, LabelValuesLess> children_
      ABSL_GUARDED_BY(mu_);
};

using CounterFamily = MetricFamily<Counter>;
using GaugeFamily = MetricFamily<Gauge>;
using HistogramFamily = MetricFamily<Histogram>;

extern template class MetricFamily<Counter>;
extern template class MetricFamily<Gauge>;
extern template class MetricFamily<Histogram>;

// Owns metric families by name. Registering a name again returns the existing metric when the
// type, label names and buckets are the same, and is an error (AlreadyExists) otherwise. Names
// must match [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* (not "__*"; not "le"
// for histograms), or the result is InvalidArgument.
class MetricsRegistry {
 public:
  // The Content-Type of RenderPrometheus() output.
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  StatusOr<Counter*> RegisterCounter(std::string_view name, std::string_view help);
  StatusOr<Gauge*> RegisterGauge(std::string_view name, std::string_view help);
  // `upper_bounds`: finite, strictly increasing; +Inf is implicit.
  StatusOr<Histogram*> RegisterHistogram(std::string_view name, std::string_view help,
                                         std::vector<double> upper_bounds);

  StatusOr<CounterFamily*> RegisterCounterFamily(std::string_view name, std::string_view help,
                                                 std::vector<std::string> label_names);
  StatusOr<GaugeFamily*> RegisterGaugeFamily(std::string_view name, std::string_view help,
                                             std::vector<std::string> label_names);
  StatusOr<HistogramFamily*> RegisterHistogramFamily(std::string_view name, std::string_view help,
                                                     std::vector<std::string> label_names,
                                                     std::vector<double> upper_bounds);

  // All families in name order, children in label-value order, in text format 0.0.4.
  std::string RenderPrometheus() const;

 private:
  template <typename T>
  StatusOr<MetricFamily<T>*> RegisterFamily(std::string_view name, std::string_view help,
                                            std::vector<std::string> label_names,
                                            std::vector<double> upper_bounds);

  mutable absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<MetricFamilyBase>, std::less<>> families_
      ABSL_GUARDED_BY(mu_);
};

// `count` bounds start, start*factor, start*factor^2, ... Preconditions: start > 0, factor > 1.
std::vector<double> ExponentialBuckets(double start, double factor, int count);
// `count` bounds start, start+width, ... Precondition: width > 0.
std::vector<double> LinearBuckets(double start, double width, int count);

}  // namespace fz
