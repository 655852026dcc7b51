# Helper functions shared by every subsystem folder.
#
#   fz_library(NAME SRCS ... DEPS ...)   -> target fz_NAME, alias fz::NAME
#   fz_test(NAME SRCS ... DEPS ...)      -> GoogleTest binary registered with CTest
#   fz_fuzzer(NAME SRC CORPUS DEPS ...)  -> corpus replay test (always) + libFuzzer binary
#   fz_benchmark(NAME SRCS ... DEPS ...) -> Google Benchmark binary
#   fz_embed_file(TARGET VAR FILE)       -> compiles FILE into TARGET as std::string_view VAR

set(FZ_WARNINGS -Wall -Wextra -Wpedantic -Werror -Wno-missing-field-initializers)
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  list(APPEND FZ_WARNINGS -Wthread-safety)
endif()

if(FZ_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# libFuzzer needs coverage feedback from the libraries it exercises, not only from the fuzz
# target's own file: instrument everything (without linking the fuzzer runtime) in fuzzing builds.
if(FZ_FUZZERS AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

function(fz_apply_warnings target)
  target_compile_options(${target} PRIVATE ${FZ_WARNINGS})
endfunction()

function(fz_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(fz_${name} STATIC ${ARG_SRCS})
  add_library(fz::${name} ALIAS fz_${name})
  target_include_directories(fz_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(fz_${name} PUBLIC ${ARG_DEPS})
  fz_apply_warnings(fz_${name})
endfunction()

function(fz_test name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  fz_apply_warnings(${name})
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "FZ_SOURCE_DIR=${PROJECT_SOURCE_DIR};FZ_SHARED_DIR=${PROJECT_SOURCE_DIR}/../shared")
endfunction()

# A fuzz target defines LLVMFuzzerTestOneInput. It is always linked with a replay driver and
# registered as a CTest test over its seed corpus, so every configuration (gcc release too)
# replays the corpus; with FZ_FUZZERS on clang it is also built as a real libFuzzer binary.
# fz_fuzzer(NAME_fuzz DEPS ...): the target's source is fuzz/NAME_fuzz.cc and its seed corpus
# fuzz/NAME_corpus, both beside the calling CMakeLists.txt (SRC / CORPUS override them).
function(fz_fuzzer name)
  cmake_parse_arguments(ARG "" "SRC;CORPUS" "DEPS" ${ARGN})
  string(REGEX REPLACE "_fuzz$" "" stem ${name})
  if(NOT ARG_SRC)
    set(ARG_SRC ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/${name}.cc)
  endif()
  if(NOT ARG_CORPUS)
    set(ARG_CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/${stem}_corpus)
  endif()
  add_executable(${name}_replay ${ARG_SRC} ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.cc)
  target_link_libraries(${name}_replay PRIVATE ${ARG_DEPS})
  fz_apply_warnings(${name}_replay)
  add_test(NAME ${name}_corpus COMMAND ${name}_replay ${ARG_CORPUS})
  if(FZ_FUZZERS AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    add_executable(${name} ${ARG_SRC})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${name} PRIVATE ${ARG_DEPS})
    fz_apply_warnings(${name})
    # scripts/run_fuzzers.sh runs every binary in build/<preset>/fuzz on the corpus named
    # in its .corpus file.
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
    file(WRITE ${CMAKE_BINARY_DIR}/fuzz/${name}.corpus "${ARG_CORPUS}\n")
  endif()
endfunction()

function(fz_benchmark name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark)
  fz_apply_warnings(${name})
  # scripts/run_benchmarks.sh runs every binary in build/<preset>/bench.
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
endfunction()

# Data tables (division codes, bank BINs) are compiled into the binary so that `fanzha` works
# from any directory and a deployment cannot lose them. The file is split into chunks because
# compilers limit the length of one string literal.
function(fz_embed_file target var file)
  get_filename_component(abs ${file} ABSOLUTE)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded_${var}.cc)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${abs} -DOUT=${out} -DVAR=${var}
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFile.cmake
    DEPENDS ${abs} ${PROJECT_SOURCE_DIR}/cmake/EmbedFile.cmake
    COMMENT "Embedding ${file} as ${var}")
  target_sources(${target} PRIVATE ${out})
endfunction()
