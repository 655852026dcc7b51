// Writes the end-to-end detection benchmark's input (bench/detect_e2e.sh): mixed event CSV
// files, an intelligence file with 1M phones + the real phishing domain list + 100k accounts,
// and a 50k-person high-risk base. Deterministic for a seed. About 1% of events touch intel.
//
// Usage: make_bench_data --events N --out DIR --domains FILE [--seed S]
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

// splitmix64: tiny, fast and the same on every platform.
struct Rng {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }
};

constexpr int64_t kStartEpochS = 1795622400;  // 2026-11-26T00:00:00+08:00

std::string LocalMobile(uint64_t i) {  // 139 5100 xxxx .. : Yinchuan prefixes
  char buf[32];
  std::snprintf(buf, sizeof(buf), "139%04" PRIu64 "%04" PRIu64, 5100 + (i / 10000) % 100,
                i % 10000);
  return buf;
}

std::string IntelPhone(uint64_t i) {
  char buf[32];
  if (i % 4 == 0) {
    std::snprintf(buf, sizeof(buf), "+8551%08" PRIu64, i % 100000000);
  } else {
    std::snprintf(buf, sizeof(buf), "+86170%08" PRIu64, i % 100000000);
  }
  return buf;
}

std::string Account(uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "62220212%011" PRIu64, i);
  return buf;
}

std::string Timestamp(int64_t epoch_s) {
  int64_t local = epoch_s + 8 * 3600;
  int64_t day = local / 86400, sec = local % 86400;
  // Days since 2026-11-26 only span a few days: keep the calendar arithmetic trivial.
  int64_t d = 26 + (day - (kStartEpochS + 8 * 3600) / 86400);
  char buf[40];
  std::snprintf(buf, sizeof(buf),
                "2026-%02d-%02" PRId64 "T%02" PRId64 ":%02" PRId64 ":%02" PRId64 "+08:00",
                d > 30 ? 12 : 11, d > 30 ? d - 30 : d, sec / 3600, sec / 60 % 60, sec % 60);
  return buf;
}

struct Options {
  int64_t events = 10'000'000;
  uint64_t seed = 1;
  std::string out = ".";
  std::string domains_file;
};

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

void WriteIntel(const Options& o, const std::vector<std::string>& domains) {
  std::ofstream f(o.out + "/intel.csv");
  f << "kind,value,fraud_type,source,confidence,expires_at\n";
  static const char* kTypes[] = {"task_rebate", "fake_investment", "impersonate_authority",
                                 "fake_customer_service", "fake_loan"};
  for (uint64_t i = 0; i < 1'000'000; ++i) {
    f << "phone," << IntelPhone(i) << "," << kTypes[i % 5] << ",national,0.9,\n";
  }
  for (size_t i = 0; i < domains.size(); ++i) {
    f << "domain," << domains[i] << "," << kTypes[i % 5] << ",phishing-db,0.8,\n";
  }
  for (uint64_t i = 0; i < 100'000; ++i) {
    f << "account," << Account(i) << "," << kTypes[i % 5] << ",bank,1,\n";
  }
}

void WritePeople(const Options& o) {
  std::ofstream f(o.out + "/people.csv");
  f << "person_id,name,id_no,phones,address,unit_code,tags\n";
  for (uint64_t i = 0; i < 50'000; ++i) {
    f << "P" << i << ",居民" << i << ",," << LocalMobile(i * 7) << ",银川市,640104001,"
      << (i % 3 == 0 ? "elderly_alone" : "student") << "\n";
  }
}

void WriteEvents(const Options& o, const std::vector<std::string>& domains) {
  Rng rng{o.seed};
  std::ofstream calls(o.out + "/call_bench.csv"), sms(o.out + "/sms_bench.csv"),
      net(o.out + "/net_bench.csv"), transfers(o.out + "/transfer_bench.csv");
  calls << "id,ts,caller,callee,duration_s,cell_id\n";
  sms << "id,ts,sender,receiver,text\n";
  net << "id,ts,subscriber,domain\n";
  transfers << "id,ts,payer_account,payer_phone,payee_account,amount,channel\n";
  const int64_t span_s = 3 * 86400;
  for (int64_t i = 0; i < o.events; ++i) {
    std::string ts = Timestamp(kStartEpochS + i * span_s / o.events);
    std::string subject = LocalMobile(rng.Below(500'000));
    bool hit = rng.Chance(0.01);
    uint64_t kind = rng.Below(100);
    if (kind < 55) {
      std::string caller = hit ? IntelPhone(rng.Below(1'000'000)) : LocalMobile(rng.Below(500'000));
      calls << "c" << i << "," << ts << "," << caller << "," << subject << ","
            << rng.Below(hit ? 900 : 300) << ",46000-9510-" << rng.Below(5000) << "\n";
    } else if (kind < 80) {
      sms << "s" << i << "," << ts << ",1069" << rng.Below(100000000) << "," << subject << ","
          << (hit ? "您的刷单佣金待领取，点击 http://task-rebate.top/a 提现"
                  : "【银行】您尾号1234的账户消费100.00元")
          << "\n";
    } else if (kind < 95) {
      std::string domain = hit ? "m." + domains[rng.Below(domains.size())]
                               : "www.site" + std::to_string(rng.Below(20000)) + ".com";
      net << "n" << i << "," << ts << "," << subject << "," << domain << "\n";
    } else {
      std::string payee = hit ? Account(rng.Below(100'000)) : Account(200'000 + rng.Below(1000000));
      transfers << "t" << i << "," << ts << "," << Account(900'000'000 + rng.Below(500'000)) << ","
                << subject << "," << payee << "," << rng.Below(50000) << ".00,mobile_bank\n";
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--events")
      o.events = std::atoll(argv[i + 1]);
    else if (flag == "--seed")
      o.seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (flag == "--out")
      o.out = argv[i + 1];
    else if (flag == "--domains")
      o.domains_file = argv[i + 1];
    else {
      std::cerr << "make_bench_data: unknown flag " << flag << "\n";
      return 2;
    }
  }
  std::vector<std::string> domains = ReadLines(o.domains_file);
  if (domains.empty()) {
    std::cerr << "make_bench_data: no domains read from '" << o.domains_file << "'\n";
    return 2;
  }
  WriteIntel(o, domains);
  WritePeople(o);
  WriteEvents(o, domains);
  return 0;
}
