#include "fz/normalize/ip.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::normalize {
namespace {

using ::testing::HasSubstr;

TEST(NormalizeIp, PublicIpv4) {
  StatusOr<IpInfo> ip = NormalizeIp(" 202.100.96.68 ");
  ASSERT_TRUE(ip.ok()) << ip.status();
  EXPECT_EQ(ip->canonical, "202.100.96.68");
  EXPECT_EQ(ip->version, 4);
  EXPECT_FALSE(ip->is_private);
  EXPECT_FALSE(ip->is_loopback);
  EXPECT_FALSE(ip->is_reserved);
}

TEST(NormalizeIp, FullWidthIpv4) {
  EXPECT_EQ(NormalizeIp("１９２．１６８．１．１")->canonical, "192.168.1.1");
}

TEST(NormalizeIp, Ipv6IsCompressedAndLowerCase) {
  StatusOr<IpInfo> ip = NormalizeIp("2409:8A00:0000:0000:0000:0000:0000:00AB");
  ASSERT_TRUE(ip.ok()) << ip.status();
  EXPECT_EQ(ip->canonical, "2409:8a00::ab");
  EXPECT_EQ(ip->version, 6);
  EXPECT_FALSE(ip->is_reserved);
  // RFC 5952: the longest run of zeros is compressed, a single zero field is not.
  EXPECT_EQ(NormalizeIp("2001:db8:0:0:1:0:0:1")->canonical, "2001:db8::1:0:0:1");
  EXPECT_EQ(NormalizeIp("[2001:db8:0:1:1:1:1:1]")->canonical, "2001:db8:0:1:1:1:1:1");
}

TEST(NormalizeIp, MappedIpv6BecomesIpv4) {
  StatusOr<IpInfo> ip = NormalizeIp("::FFFF:192.168.10.1");
  ASSERT_TRUE(ip.ok()) << ip.status();
  EXPECT_EQ(ip->canonical, "192.168.10.1");
  EXPECT_EQ(ip->version, 4);
  EXPECT_TRUE(ip->is_private);
  EXPECT_EQ(NormalizeIp("::ffff:c0a8:0a01")->canonical, "192.168.10.1");
}

TEST(NormalizeIp, Classes) {
  struct Case {
    const char* ip;
    bool is_private;
    bool is_loopback;
    bool is_reserved;
  };
  const Case cases[] = {
      {"10.0.0.1", true, false, false},
      {"172.16.0.1", true, false, false},
      {"172.31.255.255", true, false, false},
      {"172.32.0.1", false, false, false},
      {"192.168.0.1", true, false, false},
      {"127.0.0.1", false, true, false},
      {"127.255.0.9", false, true, false},
      {"100.64.0.1", false, false, true},
      {"100.128.0.1", false, false, false},
      {"169.254.1.1", false, false, true},
      {"0.0.0.0", false, false, true},
      {"192.0.2.1", false, false, true},
      {"224.0.0.1", false, false, true},
      {"255.255.255.255", false, false, true},
      {"8.8.8.8", false, false, false},
      {"::1", false, true, false},
      {"::", false, false, true},
      {"fd00::1", true, false, false},
      {"fc00::1", true, false, false},
      {"fe80::1", false, false, true},
      {"ff02::1", false, false, true},
      {"2001:db8::1", false, false, true},
      {"240e::1", false, false, false},
  };
  for (const Case& c : cases) {
    StatusOr<IpInfo> ip = NormalizeIp(c.ip);
    ASSERT_TRUE(ip.ok()) << c.ip << ": " << ip.status();
    EXPECT_EQ(ip->is_private, c.is_private) << c.ip;
    EXPECT_EQ(ip->is_loopback, c.is_loopback) << c.ip;
    EXPECT_EQ(ip->is_reserved, c.is_reserved) << c.ip;
  }
}

TEST(NormalizeIp, JunkIsAnErrorNotACrash) {
  struct Case {
    std::string raw;
    std::string message;
  };
  const Case cases[] = {
      {"", "empty"},
      {"1.2.3", "four decimal numbers"},
      {"1.2.3.256", "four decimal numbers"},
      {"010.1.1.1", "leading zeros"},
      {"1.2.3.4.5", "four decimal"},
      {"[1.2.3.4]", "only IPv6"},
      {"1::2::3", "malformed IPv6"},
      {"fe80::1%eth0", "zone"},
      {"example.com", "four decimal"},
      {std::string("1.2.3.4\0", 8), "NUL"},
      {"一.二.三.四", "four decimal"},
      {std::string(10000, '1'), "too long"},
  };
  for (const Case& c : cases) {
    StatusOr<IpInfo> ip = NormalizeIp(c.raw);
    ASSERT_FALSE(ip.ok()) << c.raw.substr(0, 40);
    EXPECT_EQ(ip.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(ip.status().message(), HasSubstr(c.message)) << c.raw.substr(0, 40);
  }
}

TEST(HostEndsInNumber, WhatwgRule) {
  EXPECT_TRUE(HostEndsInNumber("1.2.3.4"));
  EXPECT_TRUE(HostEndsInNumber("3232235777"));
  EXPECT_TRUE(HostEndsInNumber("example.0x7F"));
  EXPECT_TRUE(HostEndsInNumber("1.2.3.4."));
  EXPECT_FALSE(HostEndsInNumber("example.com"));
  EXPECT_FALSE(HostEndsInNumber("1.2.3.com"));
  EXPECT_FALSE(HostEndsInNumber("0xg"));
  EXPECT_FALSE(HostEndsInNumber(""));
}

TEST(ParseUrlIpv4Host, BrowserForms) {
  EXPECT_EQ(ParseUrlIpv4Host("3232235777")->canonical, "192.168.1.1");
  EXPECT_EQ(ParseUrlIpv4Host("0x7f.1")->canonical, "127.0.0.1");
  EXPECT_EQ(ParseUrlIpv4Host("0300.0250.1.1")->canonical, "192.168.1.1");  // octal
  EXPECT_EQ(ParseUrlIpv4Host("10.1")->canonical, "10.0.0.1");
  EXPECT_EQ(ParseUrlIpv4Host("1.2.3.4.")->canonical, "1.2.3.4");
  EXPECT_TRUE(ParseUrlIpv4Host("192.168.1.1")->is_private);
}

TEST(ParseUrlIpv4Host, RejectsOutOfRange) {
  EXPECT_FALSE(ParseUrlIpv4Host("4294967296").ok());  // 2^32
  EXPECT_TRUE(ParseUrlIpv4Host("4294967295").ok());
  EXPECT_FALSE(ParseUrlIpv4Host("1.256.1.1").ok());
  EXPECT_FALSE(ParseUrlIpv4Host("1.2.3.256").ok());
  EXPECT_FALSE(ParseUrlIpv4Host("1.2.3.4.5").ok());
  EXPECT_FALSE(ParseUrlIpv4Host("09.1.1.1").ok());  // 9 is not octal
  EXPECT_FALSE(ParseUrlIpv4Host("1..1").ok());
  EXPECT_FALSE(ParseUrlIpv4Host("99999999999999999999999").ok());
}

}  // namespace
}  // namespace fz::normalize
