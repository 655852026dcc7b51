# Phone number normalization: the reference path on libphonenumber (phone.cc), the shape rules
# both paths share (phone_shape.cc) and the cached event path (phone_normalizer.cc).
target_sources(fz_normalize PRIVATE
  phone.cc
  phone_cache.cc
  phone_country_cache.cc
  phone_normalizer.cc
  phone_shape.cc
)
target_link_libraries(fz_normalize PUBLIC
  fz_libphonenumber
  absl::flat_hash_map
  absl::synchronization
)

fz_test(phone_test
  SRCS
    phone_test.cc
    phone_normalizer_test.cc
    phone_country_cache_test.cc
  DEPS
    fz::normalize
)

fz_fuzzer(phone_fuzz
  DEPS fz::normalize
)

if(FZ_BENCHMARKS)
  fz_benchmark(phone_benchmark
    SRCS phone_benchmark.cc
    DEPS fz::normalize
  )
endif()
