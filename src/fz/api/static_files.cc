#include "fz/api/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fz::api {
namespace {

std::string_view ContentType(std::string_view path) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".wav", "audio/wav"},
      {".mp3", "audio/mpeg"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (path.ends_with(ext)) return type;
  }
  return "application/octet-stream";
}

bool ReadFile(const std::filesystem::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  *out = text.str();
  return true;
}

}  // namespace

bool IsConsoleRequest(const http::Request& r) {
  if (r.method != "GET" && r.method != "HEAD") return false;
  return !r.path.starts_with("/api/") && r.path != "/api" && r.path != "/metrics";
}

http::Response ServeConsoleFile(const std::string& root, const http::Request& r) {
  std::string rel = r.path.empty() ? "/" : r.path;
  const bool unsafe = rel.find("..") != std::string::npos || rel.find('\0') != std::string::npos;
  std::filesystem::path file = std::filesystem::path(root) / rel.substr(1);
  std::error_code ec;
  http::Response resp;
  if (!unsafe && !rel.ends_with('/') && std::filesystem::is_regular_file(file, ec) &&
      ReadFile(file, &resp.body)) {
    resp.content_type = std::string(ContentType(rel));
    // Vite names built assets by content hash: they never change under the same name.
    if (rel.starts_with("/assets/")) {
      resp.headers.push_back({"Cache-Control", "public, max-age=31536000, immutable"});
    }
    return resp;
  }
  if (!ReadFile(std::filesystem::path(root) / "index.html", &resp.body)) {
    return http::Response::Error(404, "not_found", "the web console is not built (make web)");
  }
  resp.content_type = "text/html; charset=utf-8";
  resp.headers.push_back({"Cache-Control", "no-cache"});
  return resp;
}

}  // namespace fz::api
