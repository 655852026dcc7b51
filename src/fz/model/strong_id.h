// StrongId<Tag, T>: a value that cannot be mixed up with another of the same representation.
//
//   struct WarningIdTag {};
//   using WarningId = StrongId<WarningIdTag, int64_t>;
//   WarningId id(42);  CaseId c = id;  // does not compile
//
// Comparable, hashable (std::hash and absl), printable through value(). Cheap to copy when T is.
#pragma once

#include <compare>
#include <functional>
#include <utility>

namespace fz::model {

template <typename Tag, typename T>
class StrongId {
 public:
  using ValueType = T;

  StrongId() = default;
  explicit StrongId(T value) : value_(std::move(value)) {}

  const T& value() const { return value_; }
  // For code that rebuilds an id in place: ingest overwrites the ids of recycled events, so a
  // string keeps its buffer instead of being built, moved and freed per event.
  T& mutable_value() { return value_; }

  friend auto operator<=>(const StrongId&, const StrongId&) = default;
  friend bool operator==(const StrongId&, const StrongId&) = default;

  template <typename H>
  friend H AbslHashValue(H h, const StrongId& id) {
    return H::combine(std::move(h), id.value_);
  }

 private:
  T value_{};
};

}  // namespace fz::model

template <typename Tag, typename T>
struct std::hash<fz::model::StrongId<Tag, T>> {
  size_t operator()(const fz::model::StrongId<Tag, T>& id) const {
    return std::hash<T>()(id.value());
  }
};
