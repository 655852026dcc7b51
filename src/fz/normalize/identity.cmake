# Identity normalizers: resident ID numbers, bank cards, domains, URLs and IP addresses.
# Included by CMakeLists.txt in this folder; adds to the fz_normalize library.
pkg_check_modules(PSL REQUIRED IMPORTED_TARGET libpsl)

target_sources(fz_normalize PRIVATE
  bank_card.cc
  domain.cc
  domain_plain.cc
  id_card.cc
  ip.cc
  url.cc
)
# Neither libidn2 nor libpsl appears in the public headers.
target_link_libraries(fz_normalize PRIVATE PkgConfig::IDN2 PkgConfig::PSL)
fz_embed_file(fz_normalize kBankBinsCsv ${PROJECT_SOURCE_DIR}/data/bank_bins/bin.csv)
fz_embed_file(fz_normalize kBankNamesCsv ${PROJECT_SOURCE_DIR}/data/bank_bins/name.csv)

fz_test(identity_test
  SRCS
    bank_card_test.cc
    domain_test.cc
    id_card_test.cc
    ip_test.cc
    url_test.cc
  DEPS
    fz::normalize
)

foreach(normalizer IN ITEMS bank_card domain id_card ip url)
  fz_fuzzer(${normalizer}_fuzz
    DEPS fz::normalize
  )
endforeach()
