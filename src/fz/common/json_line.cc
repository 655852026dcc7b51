#include "fz/common/json_line.h"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "fz/common/civil_days.h"

namespace fz {
namespace {

constexpr int64_t kBeijingOffsetS = 8 * 3600;

using ::fz::DaysFromCivil;

struct Civil {
  int64_t year;
  unsigned month, day, hour, minute, second;
};

Civil CivilFromSeconds(int64_t s) {
  int64_t days = s >= 0 ? s / 86400 : (s - 86399) / 86400;
  int64_t rem = s - days * 86400;
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
  return {y,
          m,
          d,
          static_cast<unsigned>(rem / 3600),
          static_cast<unsigned>(rem % 3600 / 60),
          static_cast<unsigned>(rem % 60)};
}

void Append2(std::string* out, unsigned v) {
  const char two[2] = {static_cast<char>('0' + v / 10 % 10), static_cast<char>('0' + v % 10)};
  out->append(two, 2);
}

void Put2(char* p, unsigned v) {
  p[0] = static_cast<char>('0' + v / 10 % 10);
  p[1] = static_cast<char>('0' + v % 10);
}

// "YYYY-MM-DDTHH:MM:SS", built on the stack and appended once (this runs for every event).
void AppendCivil(std::string* out, const Civil& c) {
  char buf[19] = {0, 0, 0, 0, '-', 0, 0, '-', 0, 0, 'T', 0, 0, ':', 0, 0, ':', 0, 0};
  Put2(buf, static_cast<unsigned>(c.year / 100));
  Put2(buf + 2, static_cast<unsigned>(c.year % 100));
  Put2(buf + 5, c.month);
  Put2(buf + 8, c.day);
  Put2(buf + 11, c.hour);
  Put2(buf + 14, c.minute);
  Put2(buf + 17, c.second);
  out->append(buf, sizeof(buf));
}

void AppendInt(std::string* out, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, static_cast<size_t>(end - buf));
}

}  // namespace

int64_t BeijingMidnight(int year, int month, int day) {
  return DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 -
         kBeijingOffsetS;
}

void AppendBeijingTime(std::string* out, int64_t epoch_s) {
  AppendCivil(out, CivilFromSeconds(epoch_s + kBeijingOffsetS));
  out->append("+08:00");
}

void AppendUtcTime(std::string* out, int64_t epoch_s) {
  AppendCivil(out, CivilFromSeconds(epoch_s));
  out->push_back('Z');
}

std::string BeijingDate(int64_t epoch_s) {
  Civil c = CivilFromSeconds(epoch_s + kBeijingOffsetS);
  std::string out;
  Append2(&out, static_cast<unsigned>(c.year / 100));
  Append2(&out, static_cast<unsigned>(c.year % 100));
  Append2(&out, c.month);
  Append2(&out, c.day);
  return out;
}

void AppendYuan(std::string* out, int64_t fen) {
  if (fen < 0) {
    out->push_back('-');
    fen = -fen;
  }
  AppendInt(out, fen / 100);
  out->push_back('.');
  Append2(out, static_cast<unsigned>(fen % 100));
}

std::string Yuan(int64_t fen) {
  std::string out;
  AppendYuan(&out, fen);
  return out;
}

void AppendJsonEscaped(std::string* out, std::string_view text) {
  // Fast path: most text needs no escaping; append it in one piece.
  size_t clean = 0;
  while (clean < text.size() && text[clean] != '"' && text[clean] != '\\' &&
         static_cast<unsigned char>(text[clean]) >= 0x20) {
    ++clean;
  }
  out->append(text.data(), clean);
  for (char c : text.substr(clean)) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(c));
          out->append(buf);
        } else {
          out->push_back(c);
        }
    }
  }
}

bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    // Fast paths, for the text warnings carry (ASCII, and Chinese: 3-byte sequences): eight
    // ASCII bytes at a time; a 3-byte sequence whose lead is E1-EC or EE-EF, which can be
    // neither overlong (E0) nor a surrogate (ED), needs only its continuation bytes checked.
    // Writing warnings spent twice as long here as formatting them before.
    if (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        p += 8;
        continue;
      }
    }
    if (*p < 0x80) {
      ++p;
      continue;
    }
    if (end - p >= 3 && *p >= 0xE1 && *p <= 0xEF && *p != 0xED && (p[1] & 0xC0) == 0x80 &&
        (p[2] & 0xC0) == 0x80) {
      p += 3;
      continue;
    }
    size_t n = 0;
    uint32_t cp = 0;
    if ((*p & 0xE0) == 0xC0) {
      n = 1;
      cp = *p & 0x1F;
    } else if ((*p & 0xF0) == 0xE0) {
      n = 2;
      cp = *p & 0x0F;
    } else if ((*p & 0xF8) == 0xF0) {
      n = 3;
      cp = *p & 0x07;
    } else {
      return false;
    }
    if (static_cast<size_t>(end - p) <= n) return false;
    for (size_t i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += n + 1;
  }
  return true;
}

void JsonLine::Key(std::string_view key) {
  if (!first_) out_->push_back(',');
  first_ = false;
  out_->push_back('"');
  out_->append(key);
  out_->append("\":");
}

JsonLine& JsonLine::Str(std::string_view key, std::string_view value) {
  Key(key);
  out_->push_back('"');
  AppendJsonEscaped(out_, value);
  out_->push_back('"');
  return *this;
}

JsonLine& JsonLine::Int(std::string_view key, int64_t value) {
  Key(key);
  AppendInt(out_, value);
  return *this;
}

JsonLine& JsonLine::Time(std::string_view key, int64_t epoch_s) {
  Key(key);
  out_->push_back('"');
  AppendBeijingTime(out_, epoch_s);
  out_->push_back('"');
  return *this;
}

JsonLine& JsonLine::UtcTime(std::string_view key, int64_t epoch_s) {
  Key(key);
  out_->push_back('"');
  AppendUtcTime(out_, epoch_s);
  out_->push_back('"');
  return *this;
}

JsonLine& JsonLine::EpochMs(std::string_view key, int64_t epoch_s) {
  Key(key);
  AppendInt(out_, epoch_s * 1000);
  return *this;
}

JsonLine& JsonLine::YuanStr(std::string_view key, int64_t fen) {
  Key(key);
  out_->push_back('"');
  AppendYuan(out_, fen);
  out_->push_back('"');
  return *this;
}

JsonLine& JsonLine::StrList(std::string_view key, const std::vector<std::string>& values) {
  Key(key);
  out_->push_back('[');
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out_->push_back(',');
    out_->push_back('"');
    AppendJsonEscaped(out_, values[i]);
    out_->push_back('"');
  }
  out_->push_back(']');
  return *this;
}

JsonLine& JsonLine::Null(std::string_view key) {
  Key(key);
  out_->append("null");
  return *this;
}

}  // namespace fz
