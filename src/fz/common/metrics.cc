#include "fz/common/metrics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <iterator>
#include <utility>

#include <fmt/format.h>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "fz/common/str_cat.h"

namespace fz {
namespace {

void AtomicAdd(std::atomic<double>& target, double delta) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + delta, std::memory_order_relaxed)) {
  }
}

template <typename T>
constexpr MetricType kTypeOf = MetricType::kCounter;
template <>
constexpr MetricType kTypeOf<Gauge> = MetricType::kGauge;
template <>
constexpr MetricType kTypeOf<Histogram> = MetricType::kHistogram;

std::string_view TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// Shortest text that parses back to `value`, with Prometheus spellings of the special values.
void AppendNumber(double value, std::string* out) {
  if (std::isnan(value)) {
    out->append("NaN");
  } else if (std::isinf(value)) {
    out->append(value > 0 ? "+Inf" : "-Inf");
  } else {
    fmt::format_to(std::back_inserter(*out), "{}", value);
  }
}

// Escapes backslash and newline (HELP text), and double quote too for label values.
void AppendEscaped(std::string_view text, bool escape_quote, std::string* out) {
  for (char c : text) {
    if (c == '\\') {
      out->append("\\\\");
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c == '"' && escape_quote) {
      out->append("\\\"");
    } else {
      out->push_back(c);
    }
  }
}

// Appends `name{a="x",b="y",le="0.5"} ` (no braces when there are no labels).
void AppendSeries(std::string_view name, const std::vector<std::string>& label_names,
                  const std::vector<std::string>& label_values, std::string_view le,
                  std::string* out) {
  out->append(name);
  if (!label_names.empty() || !le.empty()) {
    out->push_back('{');
    for (size_t i = 0; i < label_names.size(); ++i) {
      StrAppend(out, i == 0 ? "" : ",", label_names[i], "=\"");
      AppendEscaped(label_values[i], /*escape_quote=*/true, out);
      out->push_back('"');
    }
    if (!le.empty()) StrAppend(out, label_names.empty() ? "" : ",", "le=\"", le, "\"");
    out->push_back('}');
  }
  out->push_back(' ');
}

void AppendSamples(const MetricFamilyBase& family, const std::vector<std::string>& values,
                   const Counter& counter, std::string* out) {
  AppendSeries(family.name(), family.label_names(), values, "", out);
  StrAppend(out, counter.Value(), "\n");
}

void AppendSamples(const MetricFamilyBase& family, const std::vector<std::string>& values,
                   const Gauge& gauge, std::string* out) {
  AppendSeries(family.name(), family.label_names(), values, "", out);
  AppendNumber(gauge.Value(), out);
  out->push_back('\n');
}

void AppendSamples(const MetricFamilyBase& family, const std::vector<std::string>& values,
                   const Histogram& histogram, std::string* out) {
  const std::vector<uint64_t> counts = histogram.BucketCounts();
  const std::string bucket_name = StrCat(family.name(), "_bucket");
  uint64_t cumulative = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    cumulative += counts[i];
    std::string le = "+Inf";
    if (i < histogram.upper_bounds().size()) {
      le.clear();
      AppendNumber(histogram.upper_bounds()[i], &le);
    }
    AppendSeries(bucket_name, family.label_names(), values, le, out);
    StrAppend(out, cumulative, "\n");
  }
  AppendSeries(StrCat(family.name(), "_sum"), family.label_names(), values, "", out);
  AppendNumber(histogram.Sum(), out);
  out->push_back('\n');
  // _count is the +Inf bucket by definition; deriving it keeps the two equal under concurrency.
  AppendSeries(StrCat(family.name(), "_count"), family.label_names(), values, "", out);
  StrAppend(out, cumulative, "\n");
}

bool IsValidName(std::string_view name, bool allow_colon) {
  if (name.empty() || absl::ascii_isdigit(name.front())) return false;
  return std::all_of(name.begin(), name.end(), [allow_colon](char c) {
    return absl::ascii_isalnum(c) || c == '_' || (allow_colon && c == ':');
  });
}

Status ValidateFamily(std::string_view name, MetricType type,
                      const std::vector<std::string>& label_names,
                      const std::vector<double>& upper_bounds) {
  if (!IsValidName(name, /*allow_colon=*/true)) {
    return absl::InvalidArgumentError(StrCat("invalid metric name \"", name, "\""));
  }
  for (const std::string& label : label_names) {
    if (!IsValidName(label, /*allow_colon=*/false) || label.starts_with("__") ||
        (type == MetricType::kHistogram && label == "le") ||
        std::count(label_names.begin(), label_names.end(), label) > 1) {
      return absl::InvalidArgumentError(
          StrCat("metric ", name, ": invalid or duplicate label name \"", label, "\""));
    }
  }
  for (size_t i = 0; i < upper_bounds.size(); ++i) {
    if (!std::isfinite(upper_bounds[i]) || (i > 0 && upper_bounds[i] <= upper_bounds[i - 1])) {
      return absl::InvalidArgumentError(
          StrCat("metric ", name, ": bucket bounds must be finite and strictly increasing"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

void Gauge::Add(double delta) { AtomicAdd(value_, delta); }

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)),
      counts_(std::make_unique<std::atomic<uint64_t>[]>(upper_bounds_.size() + 1)) {}

void Histogram::Observe(double value) {
  const size_t bucket = std::isnan(value)
                            ? upper_bounds_.size()
                            : std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) -
                                  upper_bounds_.begin();
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, value);
}

std::vector<uint64_t> Histogram::BucketCounts() const {
  std::vector<uint64_t> counts(upper_bounds_.size() + 1);
  for (size_t i = 0; i < counts.size(); ++i) counts[i] = counts_[i].load(std::memory_order_relaxed);
  return counts;
}

uint64_t Histogram::Count() const {
  const std::vector<uint64_t> counts = BucketCounts();
  uint64_t total = 0;
  for (uint64_t count : counts) total += count;
  return total;
}

MetricFamilyBase::MetricFamilyBase(std::string name, std::string help, MetricType type,
                                   std::vector<std::string> label_names,
                                   std::vector<double> upper_bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)),
      upper_bounds_(std::move(upper_bounds)) {}

namespace {
template <typename A, typename B>
bool LexicographicallyLess(absl::Span<const A> a, absl::Span<const B> b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](std::string_view x, std::string_view y) { return x < y; });
}
}  // namespace

bool LabelValuesLess::operator()(absl::Span<const std::string> a,
                                 absl::Span<const std::string> b) const {
  return LexicographicallyLess(a, b);
}
bool LabelValuesLess::operator()(absl::Span<const std::string> a,
                                 absl::Span<const std::string_view> b) const {
  return LexicographicallyLess(a, b);
}
bool LabelValuesLess::operator()(absl::Span<const std::string_view> a,
                                 absl::Span<const std::string> b) const {
  return LexicographicallyLess(a, b);
}

template <typename T>
MetricFamily<T>::MetricFamily(std::string name, std::string help,
                              std::vector<std::string> label_names,
                              std::vector<double> upper_bounds)
    : MetricFamilyBase(std::move(name), std::move(help), kTypeOf<T>, std::move(label_names),
                       std::move(upper_bounds)) {}

template <typename T>
StatusOr<T*> MetricFamily<T>::WithLabels(absl::Span<const std::string_view> label_values) {
  if (label_values.size() != label_names().size()) {
    return absl::InvalidArgumentError(StrCat("metric ", name(), " has labels (",
                                             absl::StrJoin(label_names(), ", "), "), got ",
                                             label_values.size(), " values"));
  }
  absl::MutexLock lock(&mu_);
  auto it = children_.find(label_values);
  if (it == children_.end()) {
    std::unique_ptr<T> child;
    if constexpr (std::is_same_v<T, Histogram>) {
      child = std::make_unique<Histogram>(upper_bounds());
    } else {
      child = std::make_unique<T>();
    }
    it = children_
             .emplace(std::vector<std::string>(label_values.begin(), label_values.end()),
                      std::move(child))
             .first;
  }
  return it->second.get();
}

template <typename T>
void MetricFamily<T>::AppendPrometheus(std::string* out) const {
  absl::MutexLock lock(&mu_);
  if (children_.empty()) return;
  StrAppend(out, "# HELP ", name(), " ");
  AppendEscaped(help(), /*escape_quote=*/false, out);
  StrAppend(out, "\n# TYPE ", name(), " ", TypeName(type()), "\n");
  for (const auto& [values, child] : children_) AppendSamples(*this, values, *child, out);
}

template class MetricFamily<Counter>;
template class MetricFamily<Gauge>;
template class MetricFamily<Histogram>;

template <typename T>
StatusOr<MetricFamily<T>*> MetricsRegistry::RegisterFamily(std::string_view name,
                                                           std::string_view help,
                                                           std::vector<std::string> label_names,
                                                           std::vector<double> upper_bounds) {
  FZ_RETURN_IF_ERROR(ValidateFamily(name, kTypeOf<T>, label_names, upper_bounds));
  absl::MutexLock lock(&mu_);
  if (auto it = families_.find(name); it != families_.end()) {
    MetricFamilyBase* existing = it->second.get();
    if (existing->type() != kTypeOf<T> || existing->label_names() != label_names ||
        existing->upper_bounds() != upper_bounds) {
      return absl::AlreadyExistsError(StrCat("metric ", name, " is already registered as a ",
                                             TypeName(existing->type()), " with labels (",
                                             absl::StrJoin(existing->label_names(), ", "), ")"));
    }
    return static_cast<MetricFamily<T>*>(existing);
  }
  auto family = std::make_unique<MetricFamily<T>>(std::string(name), std::string(help),
                                                  std::move(label_names), std::move(upper_bounds));
  MetricFamily<T>* result = family.get();
  families_.emplace(std::string(name), std::move(family));
  return result;
}

StatusOr<Counter*> MetricsRegistry::RegisterCounter(std::string_view name, std::string_view help) {
  FZ_ASSIGN_OR_RETURN(CounterFamily * family, RegisterFamily<Counter>(name, help, {}, {}));
  return family->WithLabels({});
}

StatusOr<Gauge*> MetricsRegistry::RegisterGauge(std::string_view name, std::string_view help) {
  FZ_ASSIGN_OR_RETURN(GaugeFamily * family, RegisterFamily<Gauge>(name, help, {}, {}));
  return family->WithLabels({});
}

StatusOr<Histogram*> MetricsRegistry::RegisterHistogram(std::string_view name,
                                                        std::string_view help,
                                                        std::vector<double> upper_bounds) {
  FZ_ASSIGN_OR_RETURN(HistogramFamily * family,
                      RegisterFamily<Histogram>(name, help, {}, std::move(upper_bounds)));
  return family->WithLabels({});
}

StatusOr<CounterFamily*> MetricsRegistry::RegisterCounterFamily(
    std::string_view name, std::string_view help, std::vector<std::string> label_names) {
  return RegisterFamily<Counter>(name, help, std::move(label_names), {});
}

StatusOr<GaugeFamily*> MetricsRegistry::RegisterGaugeFamily(std::string_view name,
                                                            std::string_view help,
                                                            std::vector<std::string> label_names) {
  return RegisterFamily<Gauge>(name, help, std::move(label_names), {});
}

StatusOr<HistogramFamily*> MetricsRegistry::RegisterHistogramFamily(
    std::string_view name, std::string_view help, std::vector<std::string> label_names,
    std::vector<double> upper_bounds) {
  return RegisterFamily<Histogram>(name, help, std::move(label_names), std::move(upper_bounds));
}

std::string MetricsRegistry::RenderPrometheus() const {
  std::string out;
  absl::MutexLock lock(&mu_);
  for (const auto& [name, family] : families_) family->AppendPrometheus(&out);
  return out;
}

std::vector<double> ExponentialBuckets(double start, double factor, int count) {
  assert(start > 0 && factor > 1);
  std::vector<double> bounds;
  bounds.reserve(std::max(count, 0));
  for (int i = 0; i < count; ++i) bounds.push_back(start * std::pow(factor, i));
  return bounds;
}

std::vector<double> LinearBuckets(double start, double width, int count) {
  assert(width > 0);
  std::vector<double> bounds;
  bounds.reserve(std::max(count, 0));
  for (int i = 0; i < count; ++i) bounds.push_back(start + width * i);
  return bounds;
}

}  // namespace fz
