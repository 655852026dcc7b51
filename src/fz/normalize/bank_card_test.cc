#include "fz/normalize/bank_card.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::normalize {
namespace {

using ::testing::HasSubstr;

// Numbers below end in a Luhn digit computed independently (Python); BINs are real rows of
// data/bank_bins/bin.csv.

TEST(LuhnValid, KnownNumbers) {
  EXPECT_TRUE(LuhnValid("6222021234567890128"));
  EXPECT_TRUE(LuhnValid("4111111111111111"));  // the classic Visa test number
  EXPECT_FALSE(LuhnValid("6222021234567890127"));
  EXPECT_FALSE(LuhnValid(""));
  EXPECT_FALSE(LuhnValid("62220212345678901a"));
}

TEST(NormalizeBankCard, IcbcDebitCardWithSpaces) {
  StatusOr<BankCardInfo> card = NormalizeBankCard("6222 0212 3456 7890 128");
  ASSERT_TRUE(card.ok()) << card.status();
  EXPECT_EQ(card->number, "6222021234567890128");
  EXPECT_TRUE(card->luhn_valid);
  EXPECT_EQ(card->bin, "622202");
  EXPECT_EQ(card->bank_code, "ICBC");
  EXPECT_EQ(card->bank_name, "中国工商银行");
  EXPECT_EQ(card->card_type, CardType::kDebit);
  EXPECT_EQ(CardTypeName(card->card_type), "debit");
  EXPECT_TRUE(card->length_matches_bin);
}

TEST(NormalizeBankCard, FullWidthAndDashes) {
  StatusOr<BankCardInfo> card = NormalizeBankCard("６２２８-４８０４-０２５６-４８９０-０１８");
  ASSERT_TRUE(card.ok()) << card.status();
  EXPECT_EQ(card->number, "6228480402564890018");
  EXPECT_EQ(card->bank_name, "中国农业银行");
}

TEST(NormalizeBankCard, LongestPrefixWins) {
  // 60326500 (无锡市商业银行) is listed inside 603265 (江苏银行), both 16-digit debit.
  EXPECT_EQ(NormalizeBankCard("6032650012345675")->bank_code, "WXCCB");
  EXPECT_EQ(NormalizeBankCard("6032651012345673")->bank_code, "JSBANK");
  // 621260001 (咸丰常农商村镇银行) inside 621260.
  StatusOr<BankCardInfo> nine = NormalizeBankCard("6212600011234567895");
  ASSERT_TRUE(nine.ok());
  EXPECT_EQ(nine->bin, "621260001");
  EXPECT_EQ(nine->bank_name, "咸丰常农商村镇银行");
}

TEST(NormalizeBankCard, SameBinTwoLengthsPicksByLength) {
  // 621260 is 平安银行 16-digit credit and 常熟农商银行 19-digit debit.
  StatusOr<BankCardInfo> credit = NormalizeBankCard("6212601234567895");
  ASSERT_TRUE(credit.ok());
  EXPECT_EQ(credit->bank_code, "SPABANK");
  EXPECT_EQ(credit->card_type, CardType::kCredit);
  StatusOr<BankCardInfo> debit = NormalizeBankCard("6212609912345678904");
  ASSERT_TRUE(debit.ok());
  EXPECT_EQ(debit->bank_code, "CSRCB");
  EXPECT_EQ(debit->card_type, CardType::kDebit);
  // 622302: ICBC 18 digits, 广东农信 16 digits.
  EXPECT_EQ(NormalizeBankCard("622302123456789011")->bank_code, "ICBC");
  EXPECT_EQ(NormalizeBankCard("6223021234567893")->bank_code, "GDRCC");
}

TEST(NormalizeBankCard, LengthMismatchIsFlaggedNotRejected) {
  // 622202 issues 19-digit cards; a 16-digit number under it is probably mistyped.
  StatusOr<BankCardInfo> card = NormalizeBankCard("6222021234567891");
  ASSERT_TRUE(card.ok()) << card.status();
  EXPECT_EQ(card->bank_code, "ICBC");
  EXPECT_FALSE(card->length_matches_bin);
}

TEST(NormalizeBankCard, OtherCardTypes) {
  EXPECT_EQ(NormalizeBankCard("4910212345678900")->card_type, CardType::kSemiCredit);
  EXPECT_EQ(NormalizeBankCard("6200101234567890")->card_type, CardType::kPrepaid);
  EXPECT_EQ(CardTypeName(CardType::kSemiCredit), "semi_credit");
  EXPECT_EQ(CardTypeName(CardType::kPrepaid), "prepaid");
  EXPECT_EQ(NormalizeBankCard("690755123456786")->bank_code, "CMB");  // 15-digit CMB card
}

TEST(NormalizeBankCard, LuhnFailureIsAFlag) {
  StatusOr<BankCardInfo> card = NormalizeBankCard("6222021234567890127");
  ASSERT_TRUE(card.ok()) << card.status();
  EXPECT_FALSE(card->luhn_valid);
  EXPECT_EQ(card->bank_code, "ICBC");
}

TEST(NormalizeBankCard, UnknownBinLeavesBankFieldsEmpty) {
  StatusOr<BankCardInfo> card = NormalizeBankCard("8000001234567890");
  ASSERT_TRUE(card.ok()) << card.status();
  EXPECT_TRUE(card->luhn_valid);
  EXPECT_EQ(card->bin, "");
  EXPECT_EQ(card->bank_code, "");
  EXPECT_EQ(card->bank_name, "");
  EXPECT_EQ(card->card_type, CardType::kUnknown);
  EXPECT_FALSE(card->length_matches_bin);
}

TEST(NormalizeBankCard, BadInputIsAnErrorNotACrash) {
  struct Case {
    std::string raw;
    std::string message;
  };
  const Case cases[] = {
      {"", "empty"},
      {" - ", "empty"},
      {"62220212345", "11 digits"},
      {"62220212345678901234", "20 digits"},
      {"6222 0212 3456 7890 12A", "'A'"},
      {"卡号6222021234567890128", "non-ASCII"},
      {std::string("622202123456\0"
                   "7890128",
                   19),
       "control"},
      {"6222021234567890128\xFF", "non-ASCII"},
      {std::string(10000, '6'), "10000 bytes"},
  };
  for (const Case& c : cases) {
    StatusOr<BankCardInfo> card = NormalizeBankCard(c.raw);
    ASSERT_FALSE(card.ok()) << c.raw.substr(0, 40);
    EXPECT_EQ(card.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(card.status().message(), HasSubstr(c.message)) << c.raw.substr(0, 40);
  }
}

TEST(BankBinTable, FromCsvValidatesRows) {
  constexpr char kNames[] = "bank,name\nAAA,甲银行\n";
  StatusOr<BankBinTable> table =
      BankBinTable::FromCsv("bin,bank,type,length\n123,AAA,DC,16\n12345,BBB,CC,16\n", kNames);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->size(), 2u);
  const BankBin* bin = table->Match("1234567890123456");
  ASSERT_NE(bin, nullptr);
  EXPECT_EQ(bin->bank_code, "BBB");
  EXPECT_EQ(bin->bank_name, "");  // BBB has no name row
  EXPECT_EQ(table->Match("1239999999999999")->bank_name, "甲银行");
  EXPECT_EQ(table->Match("9999999999999999"), nullptr);

  EXPECT_THAT(
      BankBinTable::FromCsv("bin,bank,type,length\n12,AAA,DC,16\n", kNames).status().message(),
      HasSubstr("bin.csv:2: bad BIN"));
  EXPECT_THAT(
      BankBinTable::FromCsv("bin,bank,type,length\n123,AAA,XX,16\n", kNames).status().message(),
      HasSubstr("unknown card type"));
  EXPECT_THAT(
      BankBinTable::FromCsv("bin,bank,type,length\n123,AAA,DC,40\n", kNames).status().message(),
      HasSubstr("bad card length"));
}

TEST(BankBinTable, BuiltinHasEveryRow) {
  EXPECT_EQ(BankBinTable::Builtin().size(), 1709u);  // data/bank_bins/SOURCE.txt
}

}  // namespace
}  // namespace fz::normalize
