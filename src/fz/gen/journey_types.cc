// The ten fraud types' journeys, after the typical steps and timing of public case reports.
// Times are offsets from the first contact; `M(a, b)` is a uniform draw of a to b minutes.
#include <algorithm>
#include <cmath>

#include "fz/common/str_cat.h"
#include "fz/gen/journey.h"

namespace fz::gen {
namespace {

constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;

// Victims send round sums: to 10 yuan below 1,000, to 100 above.
int64_t Fen(double yuan) {
  const double step = yuan < 1000 ? 10 : 100;
  return static_cast<int64_t>(std::max(1.0, std::round(yuan / step)) * step * 100);
}

// First loss at `at`, then `more` growing payments `gap` apart (the classic escalation).
void Escalate(Journey& j, int64_t at, double first_yuan, int more, double growth_lo,
              double growth_hi, int64_t gap_lo, int64_t gap_hi) {
  Rng& rng = j.rng();
  double amount = first_yuan;
  j.Pay(at, Fen(amount));
  for (int i = 0; i < more; ++i) {
    at += rng.Range(gap_lo, gap_hi);
    amount = std::min(amount * rng.Uniform(growth_lo, growth_hi), 500000.0);
    j.Pay(at, Fen(amount));
  }
}

void TaskRebate(Journey& j) {
  Rng& r = j.rng();
  int64_t t = j.t0();
  // 30% are recruited in QQ/WeChat groups the carriers never see.
  if (r.Chance(0.7)) t = j.Sms(t, j.LocalSim(), j.SmsText(j.Url())) + Journey::Minutes(r, 5, 90);
  t = j.Visit(t, j.Url()) + Journey::Minutes(r, 10, 60);
  t = j.Install(t, r.Chance(0.6) ? j.FraudApp() : r.Pick(AbusedLegitApps())) +
      Journey::Minutes(r, 30, 180);
  Escalate(j, t, r.Uniform(100, 800), static_cast<int>(r.Range(2, 5)), 2, 5, 20 * 60, 8 * kHour);
}

void Investment(Journey& j) {
  Rng& r = j.rng();
  int64_t t = j.t0();
  const double x = r.Unit();
  if (x < 0.4) {
    t = j.Call(t, r.Chance(0.5) ? j.LocalSim() : j.Voip(), static_cast<int>(r.Range(120, 600)));
  } else if (x < 0.7) {
    t = j.Sms(t, j.LocalSim(), j.SmsText(j.Url()));
  }
  t += r.Range(30 * 60, 2 * kDay);
  for (int i = 0, n = static_cast<int>(r.Range(2, 4)); i < n; ++i) {
    j.Visit(t + r.Range(0, 12 * kHour), j.Url());
  }
  t = j.Install(t + r.Range(kHour, 24 * kHour), j.FraudApp()) + r.Range(kHour, 24 * kHour);
  Escalate(j, t, r.Uniform(1000, 20000), static_cast<int>(r.Range(2, 5)), 1.5, 4, 6 * kHour,
           2 * kDay);
}

void Shopping(Journey& j) {
  Rng& r = j.rng();
  int64_t t = j.t0();
  if (r.Chance(0.5)) t = j.Sms(t, j.LocalSim(), j.SmsText(j.Url())) + Journey::Minutes(r, 2, 60);
  t = j.Visit(t, j.Url()) + Journey::Minutes(r, 5, 60);
  Escalate(j, t, r.Uniform(200, 5000), r.Chance(0.4) ? 1 : 0, 1, 2, kHour, 24 * kHour);
}

void CustomerService(Journey& j) {
  Rng& r = j.rng();
  const double x = r.Unit();
  const std::string& from = x < 0.4 ? j.Spoofed() : x < 0.7 ? j.International() : j.Voip();
  int64_t t = j.Call(j.t0(), from, static_cast<int>(r.Range(8 * 60, 30 * 60)));
  if (r.Chance(0.7)) {
    t = j.Sms(t + Journey::Minutes(r, 1, 10), j.LocalSim(), j.SmsText(j.Url()));
    t = j.Visit(t + Journey::Minutes(r, 1, 10), j.Url());
  }
  if (r.Chance(0.6)) t = j.Install(t + Journey::Minutes(r, 5, 20), j.ScreenApp());
  Escalate(j, t + Journey::Minutes(r, 10, 60), r.Uniform(2000, 30000),
           static_cast<int>(r.Range(0, 3)), 1, 2.5, 10 * 60, 40 * 60);
}

void Loan(Journey& j) {
  Rng& r = j.rng();
  int64_t t = j.t0();
  if (r.Chance(0.7)) {
    t = j.Sms(t, j.LocalSim(), j.SmsText(j.Url())) + r.Range(10 * 60, 12 * kHour);
  } else {
    t = j.Call(t, j.Voip(), static_cast<int>(r.Range(60, 300))) + Journey::Minutes(r, 5, 60);
  }
  t = j.Visit(t, j.Url()) + Journey::Minutes(r, 5, 60);
  t = j.Install(t, j.FraudApp()) + r.Range(kHour, 24 * kHour);
  // The "fee" (解冻费, 保证金), then more fees.
  Escalate(j, t, r.Uniform(500, 5000), static_cast<int>(r.Range(1, 3)), 1.5, 3, kHour, kDay);
}

void CreditRepair(Journey& j) {
  Rng& r = j.rng();
  int64_t t = j.Call(j.t0(), r.Chance(0.5) ? j.Voip() : j.International(),
                     static_cast<int>(r.Range(15 * 60, 40 * 60)));
  if (r.Chance(0.8)) t = j.Install(t + Journey::Minutes(r, 5, 30), j.ScreenApp());
  if (r.Chance(0.5)) t = j.Visit(t + Journey::Minutes(r, 2, 20), j.Url());
  Escalate(j, std::max(t + 5 * 60, j.t0() + Journey::Minutes(r, 30, 180)), r.Uniform(5000, 50000),
           static_cast<int>(r.Range(0, 2)), 1, 2, 20 * 60, 2 * kHour);
}

void Boss(Journey& j) {
  Rng& r = j.rng();
  int64_t t = j.t0();
  // Half start on QQ with a copied profile picture: nothing reaches the carrier.
  if (r.Chance(0.5)) {
    const std::string& from = r.Chance(0.6) ? j.LocalSim() : j.Voip();
    t = j.Sms(t, from, j.SmsText(""));
    if (r.Chance(0.3))
      t = j.Call(t + Journey::Minutes(r, 5, 30), from, static_cast<int>(r.Range(40, 180)));
  }
  Escalate(j, t + Journey::Minutes(r, 20, 120), r.Uniform(10000, 200000), r.Chance(0.3) ? 1 : 0, 1,
           2, 20 * 60, 2 * kHour);
}

void Authority(Journey& j) {
  Rng& r = j.rng();
  int64_t t = j.t0();
  // Often a short "courier/telecom bureau" call first, then the "police officer".
  if (r.Chance(0.4)) t = j.Call(t, j.Spoofed(), static_cast<int>(r.Range(60, 300))) + 60;
  t = j.Call(t, r.Chance(0.6) ? j.International() : j.Spoofed(),
             static_cast<int>(r.Range(20 * 60, 40 * 60)));
  if (r.Chance(0.85)) t = j.Install(t + Journey::Minutes(r, 5, 30), j.ScreenApp());
  if (r.Chance(0.5)) t = j.Visit(t + Journey::Minutes(r, 2, 15), j.Url());
  // The "safe account" (安全账户) within one to three hours of the first call.
  Escalate(j, std::max(t + 5 * 60, j.t0() + Journey::Minutes(r, 60, 180)), r.Uniform(20000, 300000),
           static_cast<int>(r.Range(1, 3)), 0.5, 1.5, 15 * 60, 2 * kHour);
}

void Romance(Journey& j) {
  Rng& r = j.rng();
  int64_t t = j.t0();
  // Met on a dating app; half move to phone calls with the same "partner" over days.
  if (r.Chance(0.5)) {
    const std::string from = r.Chance(0.5) ? j.International() : j.LocalSim();
    for (int i = 0, n = static_cast<int>(r.Range(2, 5)); i < n; ++i) {
      j.Call(t + i * kDay + r.Range(0, 4 * kHour), from,
             static_cast<int>(r.Range(5 * 60, 40 * 60)));
    }
  }
  t += r.Range(kDay, 3 * kDay);
  for (int i = 0, n = static_cast<int>(r.Range(1, 3)); i < n; ++i) {
    j.Visit(t + r.Range(0, 12 * kHour), j.Url());
  }
  t = j.Install(t + r.Range(kHour, 12 * kHour), j.FraudApp()) + r.Range(2 * kHour, kDay);
  Escalate(j, t, r.Uniform(1000, 10000), static_cast<int>(r.Range(2, 5)), 2, 5, 6 * kHour,
           2 * kDay);
}

void GameTrade(Journey& j) {
  Rng& r = j.rng();
  int64_t t = j.t0();
  if (r.Chance(0.4)) t = j.Sms(t, j.LocalSim(), j.SmsText(j.Url())) + Journey::Minutes(r, 2, 30);
  t = j.Visit(t, j.Url()) + Journey::Minutes(r, 10, 60);
  if (r.Chance(0.3)) t = j.Install(t, j.FraudApp()) + Journey::Minutes(r, 5, 30);
  // The "deposit" (保证金), then the "unfreezing fee" (解冻费).
  Escalate(j, t, r.Uniform(200, 3000), r.Chance(0.5) ? static_cast<int>(r.Range(1, 2)) : 0, 1.5, 3,
           20 * 60, 3 * kHour);
}

}  // namespace

std::string Journey::SmsText(const std::string& url) {
  switch (fraud_) {
    case Fraud::kTaskRebate:
      return rng_.Chance(0.5)
                 ? StrCat("【兼职】在家动动手指日赚300-800元，点赞关注即领佣金，详情 ", url)
                 : StrCat("抖音点赞员招聘，一单一结，刷单返利当天到账，报名 ", url);
    case Fraud::kInvestment:
      return StrCat("【内部消息】资深导师免费带单，牛股推荐稳赚不赔，进群领取 ", url);
    case Fraud::kShopping:
      return StrCat("【清仓特卖】品牌包包1折起，低价秒杀仅限今日，下单 ", url);
    case Fraud::kCustomerService:
      return StrCat("【快递理赔中心】您的包裹已丢失，将双倍理赔，请点击 ", url, " 办理退款");
    case Fraud::kLoan:
      return StrCat("【惠民金融】您有一笔200000元额度待领取，无抵押低息秒批，点击 ", url);
    case Fraud::kCreditRepair:
      return StrCat("【征信中心】您的校园贷账户未注销将影响征信，请速处理 ", url);
    case Fraud::kBoss:
      return rng_.Chance(0.5) ? "我是你们王总，这是我新号码，存一下，明早来我办公室"
                              : "我是李总，有笔款急需转给合作方，你先处理一下，加我QQ细说";
    case Fraud::kAuthority:
      return StrCat("【最高人民检察院】您涉嫌洗钱案件，请登录 ", url,
                    " 查询并将资金转入安全账户配合调查");
    case Fraud::kRomance:
      return "哥哥你好呀，我是上次相亲群里认识的小美，最近在做一个稳赚的项目，带你一起呀";
    case Fraud::kGameTrade:
      return StrCat("【游戏交易】您的账号装备已被高价收购，请在 ", url, " 确认交易并缴纳保证金");
  }
  return url;
}

void PlayJourney(Journey& j) {
  switch (j.fraud()) {
    case Fraud::kTaskRebate:
      return TaskRebate(j);
    case Fraud::kInvestment:
      return Investment(j);
    case Fraud::kShopping:
      return Shopping(j);
    case Fraud::kCustomerService:
      return CustomerService(j);
    case Fraud::kLoan:
      return Loan(j);
    case Fraud::kCreditRepair:
      return CreditRepair(j);
    case Fraud::kBoss:
      return Boss(j);
    case Fraud::kAuthority:
      return Authority(j);
    case Fraud::kRomance:
      return Romance(j);
    case Fraud::kGameTrade:
      return GameTrade(j);
  }
}

}  // namespace fz::gen
