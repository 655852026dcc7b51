#include "fz/gen/background.h"

#include <algorithm>
#include <cmath>

#include "fz/common/json_line.h"
#include "fz/common/str_cat.h"
#include "fz/gen/event_lines.h"

namespace fz::gen {
namespace {

using model::EventType;

enum Stream : uint64_t { kBackground = 30 };

// Activity by hour of day (Beijing time), mean 1.
constexpr std::array<double, 24> kHourly = {0.35, 0.2, 0.12, 0.1, 0.1, 0.2, 0.5, 1.2,
                                            1.6,  1.7, 1.7,  1.6, 1.4, 1.3, 1.5, 1.6,
                                            1.6,  1.5, 1.5,  1.5, 1.4, 1.2, 0.8, 0.55};

constexpr std::array<std::string_view, 6> kServiceCallers = {"95588", "95533", "10086",
                                                             "12345", "95338", "95599"};
constexpr std::array<std::string_view, 6> kBanks = {"宁夏银行", "工商银行", "建设银行",
                                                    "农业银行", "中国银行", "黄河农商银行"};
constexpr std::array<std::string_view, 6> kBankPorts = {"10690951001", "95588", "95533",
                                                        "95599",       "95566", "10690951002"};
constexpr std::array<std::string_view, 6> kCodeApps = {"淘宝", "支付宝", "微信支付",
                                                       "京东", "美团",   "12306"};
constexpr std::array<std::string_view, 12> kChats = {
    "晚上回家吃饭吗",   "到了给我打个电话", "明天几点开会？",
    "收到，谢谢",       "妈，我这周末回来", "钱我转你微信了，查收一下",
    "今天加班，晚点回", "孩子的学费交了吗", "周六一起去爬贺兰山？",
    "好的，没问题",     "快递帮我取一下",   "在开会，稍后回电"};
constexpr std::array<std::string_view, 4> kSubdomains = {"", "www.", "m.", "api."};
constexpr std::array<std::string_view, 5> kWebPaths = {"/", "/index.html", "/item/1", "/s?wd=news",
                                                       "/video"};

struct NormalApp {
  std::string_view id, name;
  double weight;
};
constexpr std::array<NormalApp, 18> kNormalApps = {{
    {"com.tencent.mm", "微信", 10},
    {"com.eg.android.AlipayGphone", "支付宝", 6},
    {"com.taobao.taobao", "淘宝", 6},
    {"com.ss.android.ugc.aweme", "抖音", 9},
    {"com.jingdong.app.mall", "京东", 4},
    {"com.xunmeng.pinduoduo", "拼多多", 6},
    {"com.sankuai.meituan", "美团", 4},
    {"com.smile.gifmaker", "快手", 5},
    {"tv.danmaku.bili", "哔哩哔哩", 3},
    {"com.autonavi.minimap", "高德地图", 3},
    {"com.icbc", "中国工商银行", 1.5},
    {"com.hicorenational.antifraud", "国家反诈中心", 2},
    {"com.alibaba.android.rimet", "钉钉", 2},
    {"com.tencent.wemeet.app", "腾讯会议", 1.2},  // legitimate work meetings
    {"us.zoom.videomeetings", "Zoom", 0.2},
    {"com.oray.sunlogin", "向日葵远程控制", 0.3},
    {"youqu.android.todesk", "ToDesk", 0.2},
    {"org.telegram.messenger", "Telegram", 0.1},
}};
constexpr std::array<std::string_view, 6> kMerchants = {"银川新华百货商店股份有限公司",
                                                        "宁夏国芳百盛商贸有限公司",
                                                        "银川建发现代城物业服务有限公司",
                                                        "国网宁夏电力有限公司银川供电公司",
                                                        "银川中石油加油站",
                                                        "宁夏医科大学总医院"};

std::string Digits(Rng& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + rng.Below(10)));
  return s;
}

std::string A2pText(Rng& rng, int64_t ts) {
  const double x = rng.Unit();
  if (x < 0.30) {
    std::string when;
    AppendBeijingTime(&when, ts);
    return StrCat("【", rng.Pick(kBanks), "】您尾号", Digits(rng, 4), "的账户于", when.substr(5, 2),
                  "月", when.substr(8, 2), "日", when.substr(11, 5), "支出人民币",
                  Yuan(rng.Range(500, 300000)), "元，余额", Yuan(rng.Range(1000, 5000000)), "元。");
  }
  if (x < 0.55) {
    return StrCat("【", rng.Pick(kCodeApps), "】验证码", Digits(rng, 6),
                  "，5分钟内有效，切勿告知他人。");
  }
  if (x < 0.72) {
    return StrCat("【菜鸟驿站】您的包裹已到小区驿站，取件码", rng.Range(1, 9), "-", rng.Range(1, 6),
                  "-", Digits(rng, 4), "，请及时领取。");
  }
  if (x < 0.87) {
    return StrCat("【京东】双11返场，全场满300减50，戳 https://jd.com/a/", Digits(rng, 6),
                  " 回T退订");
  }
  if (x < 0.95) {
    return StrCat("【", rng.Pick(kBanks),
                  "】尊敬的客户，您有一笔信用贷款额度最高30万元，年化利率低至3.2%，"
                  "详询客服，拒收请回复R");
  }
  return "【银川公安】反诈提醒：公检法机关不会通过电话要求转账到安全账户，刷单返利都是诈骗，"
         "如遇可疑请拨打96110。";
}

}  // namespace

BackgroundTraffic::BackgroundTraffic(const World& world, BackgroundRates rates)
    : world_(world), rates_(rates) {
  double total = 0;
  for (const WebSite& s : EverydaySites()) {
    total += s.weight;
    site_cdf_.push_back(total);
  }
}

size_t BackgroundTraffic::AnyResident(Rng& rng) const {
  return rng.Index(world_.city->residents().size());
}

size_t BackgroundTraffic::MobileResident(Rng& rng) const {
  for (int attempt = 0;; ++attempt) {
    const size_t i = AnyResident(rng);
    if (world_.city->residents()[i].phone[0] == '1' || attempt > 100) return i;
  }
}

void BackgroundTraffic::Hour(int day, int hour, EventQueue* queue,
                             std::vector<PendingEvent>* out) const {
  Rng rng = Rng::ForStream(world_.seed, kBackground, static_cast<uint64_t>(day * 24 + hour));
  const int64_t hour_start = world_.start_s + day * 86400LL + hour * 3600LL;
  const double people = static_cast<double>(world_.city->residents().size());
  const double per_day_to_hour = kHourly[static_cast<size_t>(hour)] / 24.0 * people;
  struct Kind {
    EventType type;
    double rate;
    std::string (BackgroundTraffic::*make)(Rng&, int64_t) const;
  };
  const std::array<Kind, 5> kinds = {{
      {EventType::kCall, rates_.calls, &BackgroundTraffic::Call},
      {EventType::kSms, rates_.sms, &BackgroundTraffic::Sms},
      {EventType::kNet, rates_.net, &BackgroundTraffic::Net},
      {EventType::kApp, rates_.apps, &BackgroundTraffic::App},
      {EventType::kTransfer, rates_.transfers, &BackgroundTraffic::Transfer},
  }};
  for (const Kind& kind : kinds) {
    const int64_t n = rng.Poisson(kind.rate * per_day_to_hour);
    for (int64_t i = 0; i < n; ++i) {
      const int64_t ts = hour_start + rng.Range(0, 3599);
      out->push_back({ts, queue->NextOrder(), kind.type, (this->*kind.make)(rng, ts)});
    }
  }
}

std::string BackgroundTraffic::Call(Rng& rng, int64_t ts) const {
  const Population& city = *world_.city;
  const double x = rng.Unit();
  const size_t a = AnyResident(rng);
  const std::string& resident = city.residents()[a].phone;
  std::string other;
  size_t caller_index = a;
  bool caller_is_resident = true;
  if (x < 0.70) {
    const size_t b = AnyResident(rng);
    other = city.residents()[b].phone;
    caller_index = b;  // resident b calls resident a
  } else if (x < 0.85) {
    other = rng.Pick(city.outsiders());  // outsider calls resident a
    caller_is_resident = false;
  } else if (x < 0.88) {
    other = rng.Pick(kServiceCallers);  // the bank or the carrier calls resident a
    caller_is_resident = false;
  } else {
    // Resident a calls out: an outsider or a service line.
    const std::string callee(x < 0.98 ? std::string_view(rng.Pick(city.outsiders()))
                                      : rng.Pick(kServiceCallers));
    const int d = rng.Chance(0.22) ? 0 : static_cast<int>(std::min(rng.LogNormal(75, 1.1), 7200.0));
    const bool mobile = resident[0] == '1';
    return CallBody(ts, resident, callee, d, mobile ? city.CellId(a) : "",
                    mobile ? city.Imei(a) : "");
  }
  const int duration =
      rng.Chance(0.22) ? 0 : static_cast<int>(std::min(rng.LogNormal(75, 1.1), 7200.0));
  const bool mobile = caller_is_resident && other[0] == '1';
  return CallBody(ts, other, resident, duration, mobile ? city.CellId(caller_index) : "",
                  mobile ? city.Imei(caller_index) : "");
}

std::string BackgroundTraffic::Sms(Rng& rng, int64_t ts) const {
  const Population& city = *world_.city;
  const std::string& receiver = city.residents()[MobileResident(rng)].phone;
  if (rng.Chance(0.65)) {
    std::string text = A2pText(rng, ts);
    std::string_view sender = text.rfind("【银川公安】", 0) == 0         ? std::string_view("12381")
                              : text.find("验证码") != std::string::npos ? "10690000123"
                              : text.find("包裹") != std::string::npos   ? "10691234567"
                                                                         : rng.Pick(kBankPorts);
    return SmsBody(ts, sender, receiver, text);
  }
  const std::string& sender =
      rng.Chance(0.8) ? city.residents()[MobileResident(rng)].phone : rng.Pick(city.outsiders());
  return SmsBody(ts, sender, receiver, rng.Pick(kChats));
}

std::string BackgroundTraffic::Net(Rng& rng, int64_t ts) const {
  const std::string& subscriber = world_.city->residents()[AnyResident(rng)].phone;
  const double x = rng.Unit() * site_cdf_.back();
  const size_t site = static_cast<size_t>(std::upper_bound(site_cdf_.begin(), site_cdf_.end(), x) -
                                          site_cdf_.begin());
  const std::string_view domain = EverydaySites()[std::min(site, site_cdf_.size() - 1)].domain;
  const std::string host = StrCat(rng.Pick(kSubdomains), domain);
  if (rng.Chance(0.3)) {
    return NetBody(ts, subscriber, host, StrCat("https://", host, rng.Pick(kWebPaths)), "");
  }
  return NetBody(ts, subscriber, host, "", "");
}

std::string BackgroundTraffic::App(Rng& rng, int64_t ts) const {
  const size_t who = MobileResident(rng);
  std::array<double, kNormalApps.size()> weights{};
  for (size_t i = 0; i < kNormalApps.size(); ++i) weights[i] = kNormalApps[i].weight;
  const NormalApp& app = kNormalApps[rng.Weighted(weights)];
  return AppBody(ts, world_.city->residents()[who].phone, app.id, app.name,
                 rng.Chance(0.6) ? "install" : "open", world_.city->Imei(who));
}

std::string BackgroundTraffic::Transfer(Rng& rng, int64_t ts) const {
  const Population& city = *world_.city;
  const size_t payer = AnyResident(rng);
  const Resident& r = city.residents()[payer];
  std::string payee_name;
  std::string_view payee_account;
  if (rng.Chance(0.45)) {
    const size_t payee = AnyResident(rng);
    payee_account = city.residents()[payee].account;
    payee_name = city.Name(payee);
  } else {
    payee_account = rng.Pick(city.merchant_accounts());
    payee_name = rng.Pick(kMerchants);
  }
  const double yuan = rng.Chance(0.02) ? rng.LogNormal(20000, 0.8) : rng.LogNormal(150, 1.2);
  const double c = rng.Unit();
  const std::string id_no = rng.Chance(0.4) ? city.IdNumber(payer) : "";
  TransferFields t{
      .payer_account = r.account,
      .payer_phone = rng.Chance(0.92) ? std::string_view(r.phone) : "",
      .payer_id_no = id_no,
      .payee_account = payee_account,
      .payee_name = payee_name,
      .channel = c < 0.6    ? "mobile_bank"
                 : c < 0.9  ? "third_party"
                 : c < 0.95 ? "atm"
                            : "counter",
      .fen = std::max<int64_t>(100, static_cast<int64_t>(std::min(yuan, 500000.0) * 100))};
  return TransferBody(ts, t);
}

}  // namespace fz::gen
