// HTTPS with a self-signed certificate made by the openssl CLI in a temporary directory.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "fz/common/str_cat.h"
#include "fz/http/client.h"
#include "fz/http/server.h"
#include "fz/http/testing/raw_socket.h"
#include "gtest/gtest.h"

namespace fz::http {
namespace {

namespace fs = std::filesystem;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("fz_http_tls_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    cert_ = (dir_ / "cert.pem").string();
    key_ = (dir_ / "key.pem").string();
    std::string command =
        StrCat("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 ",
               "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 -keyout ", key_, " -out ",
               cert_, " >/dev/null 2>&1");
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  void TearDown() override { fs::remove_all(dir_); }

  ServerOptions TlsOptions() {
    ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.tls_cert_file = cert_;
    options.tls_key_file = key_;
    return options;
  }

  fs::path dir_;
  std::string cert_;
  std::string key_;
};

Response Echo(Request& r) { return Response::Text(200, r.method + " " + r.body, "text/plain"); }

TEST_F(TlsTest, RoundTripOverHttps) {
  Server server(TlsOptions(), Echo, nullptr);
  Status started = server.Start();
  ASSERT_TRUE(started.ok()) << started;
  Client client("127.0.0.1", server.port(), {.tls = true, .tls_insecure = true});
  for (int i = 0; i < 3; ++i) {  // Kept alive over one TLS session.
    auto response = client.Send("POST", "/api/events", "加密 " + std::to_string(i));
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "POST 加密 " + std::to_string(i));
  }
  // Plain HTTP to the HTTPS port gets no HTTP answer, and the server lives on.
  testing::RawConnection plain(server.port(), absl::Seconds(5));
  ASSERT_TRUE(plain.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(testing::StatusOf(plain.ReadUntilClose()), 0);
  EXPECT_TRUE(client.Send("GET", "/").ok());
}

TEST_F(TlsTest, VerifyingClientRejectsSelfSignedCertificate) {
  Server server(TlsOptions(), Echo, nullptr);
  ASSERT_TRUE(server.Start().ok());
  Client client("127.0.0.1", server.port(), {.tls = true});
  EXPECT_FALSE(client.Send("GET", "/").ok());
}

TEST_F(TlsTest, StartNamesTheUnloadableFile) {
  ServerOptions missing = TlsOptions();
  missing.tls_cert_file = (dir_ / "absent.pem").string();
  Server no_cert(missing, Echo, nullptr);
  Status status = no_cert.Start();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(std::string(status.message()).find("absent.pem"), std::string::npos) << status;

  std::string garbage = (dir_ / "garbage.pem").string();
  std::ofstream(garbage) << "not a key\n";
  ServerOptions bad_key = TlsOptions();
  bad_key.tls_key_file = garbage;
  Server no_key(bad_key, Echo, nullptr);
  status = no_key.Start();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(std::string(status.message()).find("tls_key_file " + garbage), std::string::npos)
      << status;

  ServerOptions only_cert = TlsOptions();
  only_cert.tls_key_file.clear();
  Server half(only_cert, Echo, nullptr);
  EXPECT_FALSE(half.Start().ok());
}

}  // namespace
}  // namespace fz::http
