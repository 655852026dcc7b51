#include "fz/ingest/test_util.h"

#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <variant>

#include "absl/time/time.h"
#include "fz/common/str_cat.h"

namespace fz::ingest::testing {
namespace {

template <typename T>
std::string Join(const std::vector<T>& items) {
  std::string out;
  for (const T& item : items) fz::StrAppend(&out, out.empty() ? "" : ";", item.value());
  return out;
}

struct Describer {
  std::string operator()(const model::CallEvent& e) const {
    return fz::StrCat("caller=", e.caller.value(), " callee=", e.callee.value(),
                      " dur=", e.duration_s, " cell=", e.cell_id, " imei=", e.imei);
  }
  std::string operator()(const model::SmsEvent& e) const {
    return fz::StrCat("sender=", e.sender.value(), " receiver=", e.receiver.value(),
                      " text=", e.text);
  }
  std::string operator()(const model::NetEvent& e) const {
    return fz::StrCat("subscriber=", e.subscriber.value(), " domain=", e.domain.value(),
                      " url=", e.url, " ip=", e.ip);
  }
  std::string operator()(const model::AppEvent& e) const {
    return fz::StrCat("subscriber=", e.subscriber.value(), " app=", e.app_id, " name=", e.app_name,
                      " action=", e.action, " imei=", e.imei);
  }
  std::string operator()(const model::TransferEvent& e) const {
    return fz::StrCat("payer=", e.payer_account.value(), " phone=", e.payer_phone.value(),
                      " id_no=", e.payer_id_no, " payee=", e.payee_account.value(),
                      " name=", e.payee_name, " fen=", e.amount.fen, " channel=", e.channel);
  }
  std::string operator()(const model::DirectiveEvent& e) const {
    return fz::StrCat("directive=", e.directive_id, " phone=", e.subject_phone.value(),
                      " id_no=", e.subject_id_no, " account=", e.subject_account.value(),
                      " level=", static_cast<int>(e.level), " fraud=", e.fraud_type.id,
                      " issuer=", e.issuer, " text=", e.text);
  }
  std::string operator()(const model::ReportEvent& e) const {
    return fz::StrCat("reporter=", e.reporter.value(), " phones=", Join(e.suspect_phones),
                      " accounts=", Join(e.suspect_accounts), " domains=", Join(e.suspect_domains),
                      " fraud=", e.fraud_type.id, " loss=", e.loss.fen, " text=", e.text);
  }
};

}  // namespace

std::string DescribeEvent(const model::Event& event) {
  return fz::StrCat(model::EventTypeName(event.header.type), " id=", event.header.id.value(),
                    " ts=", absl::ToUnixMillis(event.header.time), " src=", event.header.source,
                    " ", std::visit(Describer{}, event.body));
}

TempDir::TempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string pattern = fz::StrCat(base != nullptr ? base : "/tmp", "/fz_ingest_XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void WriteFile(const std::string& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Gzip(std::string_view data) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string Zstd(std::string_view data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

}  // namespace fz::ingest::testing
