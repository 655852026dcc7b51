#include "fz/gen/gangs.h"

#include <algorithm>
#include <fstream>
#include <unordered_set>

#include "fz/common/json_line.h"
#include "fz/common/str_cat.h"

namespace fz::gen {
namespace {

enum Stream : uint64_t { kGangs = 10, kIntel = 11 };

constexpr int kGangCount = 14;

struct FraudNames {
  std::string_view code, name_zh;
  std::array<std::string_view, 5> themes;  // words fake domains are made of
  std::array<std::string_view, 3> apps;    // display names of the gang's apps
};

constexpr std::array<FraudNames, kFraudTypes> kFraudNames = {{
    {"task_rebate",
     "刷单返利",
     {"task", "rebate", "dianzan", "jianzhi", "fanli"},
     {"赚钱吧", "点赞联盟", "任务宝"}},
    {"fake_investment",
     "虚假网络投资理财",
     {"gold", "invest", "quant", "licai", "fund"},
     {"金牛财富", "汇赢国际", "鼎盛量化"}},
    {"fake_shopping",
     "虚假购物服务",
     {"mall", "outlet", "sale", "shop", "tejia"},
     {"特价商城", "优品汇", "折扣购"}},
    {"fake_customer_service",
     "冒充电商物流客服",
     {"refund", "kefu", "lipei", "express", "tuikuan"},
     {"理赔助手", "售后通", "快递理赔"}},
    {"fake_loan",
     "虚假网络贷款",
     {"loan", "daikuan", "jiedai", "edu", "xinyong"},
     {"极速贷", "安心借", "惠民e贷"}},
    {"fake_credit_repair",
     "虚假征信",
     {"zhengxin", "credit", "pbccrc", "xiufu", "zhuxiao"},
     {"征信助手", "信用修复", "校园贷注销"}},
    {"impersonate_boss",
     "冒充领导熟人",
     {"chat", "msg", "im", "talk", "box"},
     {"畅聊", "密聊", "企业通"}},
    {"impersonate_authority",
     "冒充公检法及政府机关",
     {"spp-gov", "court", "anquan", "jiancha", "qingcha"},
     {"安全防护", "清查系统", "最高检"}},
    {"romance",
     "网络婚恋交友",
     {"love", "yuehui", "meet", "xiangqin", "date"},
     {"心动", "缘来", "同城约"}},
    {"game_trade",
     "网络游戏产品虚假交易",
     {"game", "zhuangbei", "trade", "jiaoyi", "skin"},
     {"游戏交易猫", "装备宝", "皮肤商城"}},
}};

constexpr std::array<std::string_view, 8> kTlds = {".top", ".vip", ".xyz",  ".cc",
                                                   ".com", ".net", ".shop", ".icu"};
constexpr std::array<std::string_view, 6> kBrands = {"icbc", "ccb", "alipay", "jd", "taobao", "sf"};
constexpr std::array<std::string_view, 6> kPaths = {"/a/reg",    "/login",  "/download",
                                                    "/h5/index", "/refund", "/kf"};
// Service numbers a forged caller id imitates, written with +86 (the tell-tale).
constexpr std::array<std::string_view, 8> kSpoofed = {
    "+8695588", "+8695533", "+86110", "+8695599", "+8612345", "+8695566", "+869510110", "+8610086"};
constexpr std::array<std::string_view, 5> kSources = {"national", "carrier", "case:2026-",
                                                      "analyst:wang", "analyst:ma"};

std::string AlphaNum(Rng& rng, int n) {
  static constexpr std::string_view kChars = "abcdefghjkmnpqrstuvwxyz23456789";
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(kChars[rng.Index(kChars.size())]);
  return s;
}

std::string FakeDomain(Rng& rng, Fraud f) {
  const FraudNames& names = kFraudNames[static_cast<size_t>(f) - 1];
  std::string base = rng.Chance(0.3) ? StrCat(rng.Pick(kBrands), "-", rng.Pick(names.themes))
                                     : StrCat(rng.Pick(names.themes), "-", AlphaNum(rng, 3));
  return StrCat(base, rng.Pick(kTlds));
}

void AddDomains(Rng& rng, Fraud f, Gang& g) {
  const int n = static_cast<int>(rng.Range(3, 8));
  for (int i = 0; i < n; ++i) {
    std::string domain = FakeDomain(rng, f);
    g.urls.push_back(StrCat("http://", domain, rng.Pick(kPaths), "?c=", AlphaNum(rng, 6)));
    g.ips.push_back(StrCat(rng.Range(23, 210), ".", rng.Range(0, 255), ".", rng.Range(0, 255), ".",
                           rng.Range(1, 254)));
    g.domains.push_back(std::move(domain));
  }
}

// Numbers the city already uses (residents and the outsiders they talk to). Fraud numbers are
// drawn outside it: a gang SIM or a national-list number that happened to equal a resident's
// relative would turn that family's ordinary calls into "fraud calls" (real lists have such
// errors too, but the generator writes them deliberately, see WriteIntelCsv).
std::unordered_set<std::string> TakenNumbers(const Population& city) {
  std::unordered_set<std::string> taken;
  taken.reserve(city.residents().size() + city.outsiders().size());
  for (const Resident& r : city.residents()) taken.insert(r.phone);
  for (const std::string& n : city.outsiders()) taken.insert(n);
  return taken;
}

template <typename Draw>
std::string Fresh(std::unordered_set<std::string>& taken, Draw draw) {
  for (;;) {
    std::string n = draw();
    if (taken.insert(n).second) return n;
  }
}

Gang MakeGang(int id, Fraud primary, Rng& rng, const NumberPlan& plan, const Population& city,
              std::unordered_set<std::string>& taken) {
  Gang g;
  g.id = id;
  g.types.push_back(primary);
  if (rng.Chance(0.5)) {
    auto second = static_cast<Fraud>(rng.Range(1, kFraudTypes));
    if (second != primary) g.types.push_back(second);
  }
  for (int i = 0, n = static_cast<int>(rng.Range(10, 30)); i < n; ++i) {
    g.international.push_back(plan.FraudHubInternational(rng));
  }
  for (int i = 0, n = static_cast<int>(rng.Range(5, 20)); i < n; ++i) {
    g.voip.push_back(Fresh(taken, [&] { return plan.VirtualOperatorMobile(rng); }));
  }
  for (int i = 0, n = static_cast<int>(rng.Range(1, 3)); i < n; ++i) {
    g.spoofed.emplace_back(rng.Pick(kSpoofed));
  }
  for (int i = 0, n = static_cast<int>(rng.Range(5, 15)); i < n; ++i) {
    g.local_sims.push_back(Fresh(taken, [&] { return plan.YinchuanMobile(rng); }));
  }
  // Every other gang runs a SIM box in a rented flat somewhere in the city.
  if (id % 2 == 0) {
    SimBoxSite site;
    const size_t anchor = rng.Index(city.residents().size());
    site.cell_id = city.CellId(anchor);
    for (int i = 0, n = static_cast<int>(rng.Range(2, 4)); i < n; ++i) {
      site.imeis.push_back(NumberPlan::Imei(rng));
    }
    for (int i = 0, n = static_cast<int>(rng.Range(16, 48)); i < n; ++i) {
      site.sims.push_back(Fresh(taken, [&] { return plan.YinchuanMobile(rng); }));
    }
    g.sites.push_back(std::move(site));
  }
  for (Fraud f : g.types) AddDomains(rng, f, g);
  for (Fraud f : g.types) {
    const FraudNames& names = kFraudNames[static_cast<size_t>(f) - 1];
    for (int i = 0, n = static_cast<int>(rng.Range(1, 2)); i < n; ++i) {
      g.apps.push_back({StrCat("com.", AlphaNum(rng, 4), ".", rng.Pick(names.themes).substr(0, 4),
                               AlphaNum(rng, 2)),
                        std::string(rng.Pick(names.apps))});
    }
  }
  for (int i = 0, n = static_cast<int>(rng.Range(15, 40)); i < n; ++i) {
    g.mules.push_back({plan.Card(BankUse::kMule, rng), RandomName(rng)});
  }
  return g;
}

// One intel row; values are written canonical (E.164 for phones).
void AppendIntelRow(std::string* out, std::string_view kind, std::string_view value, Fraud f,
                    std::string_view source, double confidence, int64_t expires_s) {
  StrAppend(out, kind, ",", value, ",", FraudCode(f), ",", source, ",");
  const int c = static_cast<int>(confidence * 100 + 0.5);
  StrAppend(out, c / 100, ".", static_cast<char>('0' + c / 10 % 10),
            static_cast<char>('0' + c % 10), ",");
  if (expires_s != 0) AppendBeijingTime(out, expires_s);
  out->push_back('\n');
}

// Decides, for one gang resource, whether and how the intel lists it.
class IntelWriter {
 public:
  IntelWriter(Rng& rng, int64_t start_s, int64_t end_s, IntelStats* stats)
      : rng_(rng), start_s_(start_s), end_s_(end_s), stats_(stats) {}

  void Resource(std::string_view kind, std::string_view value, Fraud f, double coverage) {
    ++stats_->gang_resources;
    if (!rng_.Chance(coverage)) return;
    double x = rng_.Unit();
    int64_t expires = 0;  // never
    if (x < 0.04) {
      expires = start_s_ - rng_.Range(1, 60) * 86400;  // an old entry nobody renewed
      ++stats_->listed_expired;
    } else if (x < 0.08) {
      expires = start_s_ + rng_.Range(3600, std::max<int64_t>(7200, end_s_ - start_s_ - 3600));
      ++stats_->listed_expiring;
      ++stats_->gang_listed;
    } else {
      if (x < 0.90) expires = end_s_ + rng_.Range(30, 365) * 86400;
      ++stats_->gang_listed;
    }
    Row(kind, value, f, expires);
  }

  void Row(std::string_view kind, std::string_view value, Fraud f, int64_t expires,
           double confidence = -1) {
    if (confidence < 0) confidence = rng_.Uniform(0.6, 1.0);
    std::string source(rng_.Pick(kSources));
    if (source == "case:2026-") StrAppend(&source, 1000 + rng_.Below(9000));
    AppendIntelRow(&text_, kind, value, f, source, confidence, expires);
    ++stats_->rows;
  }

  std::string& text() { return text_; }

 private:
  Rng& rng_;
  int64_t start_s_, end_s_;
  IntelStats* stats_;
  std::string text_ = "kind,value,fraud_type,source,confidence,expires_at\n";
};

void ListGang(const Gang& g, IntelWriter& w) {
  const Fraud f = g.types.front();
  for (const auto& n : g.international) w.Resource("phone", n, f, 0.65);
  for (const auto& n : g.voip) w.Resource("phone", E164(n), f, 0.55);
  for (const auto& n : g.local_sims) w.Resource("phone", E164(n), f, 0.45);
  for (const SimBoxSite& s : g.sites) {
    for (const auto& n : s.sims) w.Resource("phone", E164(n), f, 0.40);
    for (const auto& imei : s.imeis) w.Resource("imei", imei, f, 0.50);
  }
  for (const auto& d : g.domains) w.Resource("domain", d, f, 0.55);
  for (const auto& u : g.urls) w.Resource("url", u, f, 0.30);
  for (const auto& ip : g.ips) w.Resource("ip", ip, f, 0.25);
  for (const App& a : g.apps) w.Resource("app", a.id, f, 0.50);
  for (const MuleAccount& m : g.mules) w.Resource("account", m.account, f, 0.55);
}

Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) return absl::UnavailableError(StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace

std::string_view FraudCode(Fraud f) { return kFraudNames[static_cast<size_t>(f) - 1].code; }
std::string_view FraudNameZh(Fraud f) { return kFraudNames[static_cast<size_t>(f) - 1].name_zh; }

const std::vector<App>& ScreenSharingApps() {
  static const std::vector<App> apps = {{"com.tencent.wemeet.app", "腾讯会议"},
                                        {"us.zoom.videomeetings", "Zoom"},
                                        {"com.oray.sunlogin", "向日葵远程控制"},
                                        {"youqu.android.todesk", "ToDesk"}};
  return apps;
}

const std::vector<App>& AbusedLegitApps() {
  static const std::vector<App> apps = [] {
    std::vector<App> all = ScreenSharingApps();
    all.push_back({"org.telegram.messenger", "Telegram"});
    all.push_back({"org.potato.messenger", "Potato"});
    all.push_back({"com.skype.raider", "Skype"});
    return all;
  }();
  return apps;
}

const std::vector<WebSite>& EverydaySites() {
  static const std::vector<WebSite> sites = {
      {"baidu.com", 20},        {"qq.com", 18},         {"weixin.qq.com", 15},
      {"taobao.com", 12},       {"jd.com", 8},          {"douyin.com", 14},
      {"alipay.com", 6},        {"pinduoduo.com", 7},   {"kuaishou.com", 6},
      {"bilibili.com", 5},      {"weibo.com", 5},       {"163.com", 4},
      {"sina.com.cn", 3},       {"meituan.com", 4},     {"ctrip.com", 2},
      {"12306.cn", 1.5},        {"icbc.com.cn", 1.2},   {"ccb.com", 1.0},
      {"95599.cn", 0.6},        {"boc.cn", 0.6},        {"cmbchina.com", 0.8},
      {"nxbank.com", 0.5},      {"nxnews.net", 0.8},    {"yinchuan.gov.cn", 0.4},
      {"nx.gov.cn", 0.3},       {"gov.cn", 0.3},        {"chsi.com.cn", 0.3},
      {"zhihu.com", 3},         {"xiaohongshu.com", 4}, {"amap.com", 2},
      {"sf-express.com", 0.8},  {"ems.com.cn", 0.3},    {"10086.cn", 1.0},
      {"apple.com", 1.5},       {"mi.com", 1.0},        {"huawei.com", 1.0},
      {"iqiyi.com", 2},         {"youku.com", 1.2},     {"eastmoney.com", 1.5},
      {"10jqka.com.cn", 1.0},   {"pbccrc.org.cn", 0.1}, {"court.gov.cn", 0.05},
      {"nxjiazheng.com", 0.02}, {"ycershou.net", 0.02}, {"nx-tour.cn", 0.02},
  };
  return sites;
}

Underworld Underworld::Build(const NumberPlan& plan, const Population& city, uint64_t seed) {
  Underworld world;
  world.seed_ = seed;
  Rng rng = Rng::ForStream(seed, kGangs);
  std::unordered_set<std::string> taken = TakenNumbers(city);
  for (int id = 0; id < kGangCount; ++id) {
    auto primary = static_cast<Fraud>(id % kFraudTypes + 1);
    world.gangs_.push_back(MakeGang(id, primary, rng, plan, city, taken));
    for (Fraud f : world.gangs_.back().types) {
      world.by_type_[static_cast<size_t>(f) - 1].push_back(static_cast<size_t>(id));
    }
  }
  return world;
}

StatusOr<IntelStats> Underworld::WriteIntelCsv(const std::string& path,
                                               const std::string& whitelist_path, int64_t start_s,
                                               int64_t end_s, const NumberPlan& plan,
                                               const Population& city) const {
  IntelStats stats;
  Rng rng = Rng::ForStream(seed_, kIntel);
  IntelWriter w(rng, start_s, end_s, &stats);
  for (const Gang& g : gangs_) ListGang(g, w);
  // National lists carry many numbers and sites never seen in this city this week.
  std::unordered_set<std::string> taken = TakenNumbers(city);
  for (int i = 0; i < 3000; ++i) {
    auto f = static_cast<Fraud>(rng.Range(1, kFraudTypes));
    std::string n = rng.Chance(0.6) ? plan.FraudHubInternational(rng) : E164(Fresh(taken, [&] {
      return rng.Chance(0.5) ? plan.VirtualOperatorMobile(rng) : plan.OtherCityMobile(rng);
    }));
    w.Row("phone", n, f, rng.Chance(0.3) ? start_s - rng.Range(1, 200) * 86400 : 0);
    ++stats.stale;
  }
  for (int i = 0; i < 400; ++i) {
    auto f = static_cast<Fraud>(rng.Range(1, kFraudTypes));
    w.Row("domain", FakeDomain(rng, f), f, 0);
    w.Row("account", plan.Card(BankUse::kMule, rng), f, end_s + 180 * 86400);
    stats.stale += 2;
  }
  // Wrongly listed: residents' numbers (a recycled SIM, a mis-typed case file) and a rare
  // local site, with low confidence. Analysts have already whitelisted half of them.
  std::string whitelist = "kind,value,fraud_type,source,confidence,expires_at\n";
  for (int i = 0; i < 8; ++i) {
    const std::string phone = E164(city.residents()[rng.Index(city.residents().size())].phone);
    w.Row("phone", phone, static_cast<Fraud>(rng.Range(1, kFraudTypes)), 0, rng.Uniform(0.3, 0.5));
    if (i % 2 == 0) StrAppend(&whitelist, "phone,", phone, ",,analyst:review,,\n");
    ++stats.false_entries;
  }
  w.Row("domain", "nxjiazheng.com", Fraud::kShopping, 0, 0.4);
  ++stats.false_entries;
  stats.bytes = static_cast<int64_t>(w.text().size() + whitelist.size());
  FZ_RETURN_IF_ERROR(WriteText(path, w.text()));
  FZ_RETURN_IF_ERROR(WriteText(whitelist_path, whitelist));
  return stats;
}

}  // namespace fz::gen
