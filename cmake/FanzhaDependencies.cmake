# Every dependency comes from Debian 12 packages installed by scripts/bootstrap.sh.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(absl REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n)
find_package(Protobuf REQUIRED)
find_package(GTest REQUIRED)
if(FZ_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
pkg_check_modules(IDN2 REQUIRED IMPORTED_TARGET libidn2)

# libphonenumber ships no CMake or pkg-config files on Debian.
find_library(PHONENUMBER_LIB phonenumber REQUIRED)
find_library(GEOCODING_LIB geocoding REQUIRED)
add_library(fz_libphonenumber INTERFACE)
target_link_libraries(fz_libphonenumber INTERFACE
  ${GEOCODING_LIB} ${PHONENUMBER_LIB} ICU::uc ICU::i18n protobuf::libprotobuf)
