// PostgreSQL adapter for SqlConn over libpqxx 6.4. pqxx throws; nothing escapes this file.
#include <pqxx/pqxx>

#include <charconv>
#include <unordered_map>

#include "fz/common/str_cat.h"
#include "fz/store/sql_conn.h"

namespace fz::store {
namespace {

Status FromException(const std::exception& e) {
  std::string message = StrCat("postgresql: ", e.what());
  while (!message.empty() && message.back() == '\n') message.pop_back();
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    // SQLSTATE class 23: integrity constraint violation.
    if (sql->sqlstate().rfind("23", 0) == 0) return absl::AlreadyExistsError(message);
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

std::vector<std::optional<std::string>> ToText(const SqlParams& params) {
  std::vector<std::optional<std::string>> out;
  out.reserve(params.size());
  for (const SqlValue& v : params) {
    if (std::holds_alternative<int64_t>(v)) {
      out.emplace_back(std::to_string(std::get<int64_t>(v)));
    } else if (std::holds_alternative<double>(v)) {
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::get<double>(v));
      out.emplace_back(std::string(buf, end));
    } else if (std::holds_alternative<std::string>(v)) {
      out.emplace_back(std::get<std::string>(v));
    } else {
      out.emplace_back(std::nullopt);
    }
  }
  return out;
}

class PgConn final : public SqlConn {
 public:
  explicit PgConn(std::unique_ptr<pqxx::connection> conn)
      : conn_(std::move(conn)), tx_(std::make_unique<pqxx::nontransaction>(*conn_)) {}
  ~PgConn() override {
    tx_.reset();
    try {
      conn_->disconnect();
    } catch (...) {
    }
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  Status ExecScript(std::string_view sql) override {
    try {
      tx_->exec(std::string(sql));
      return absl::OkStatus();
    } catch (const std::exception& e) {
      return FromException(e);
    }
  }

  StatusOr<SqlRows> Query(const std::string& sql, const SqlParams& params) override {
    try {
      pqxx::result result = Run(sql, params);
      SqlRows rows;
      rows.reserve(result.size());
      for (const pqxx::row& r : result) {
        std::vector<std::optional<std::string>> cols(r.size());
        for (size_t i = 0; i < r.size(); ++i) {
          if (!r[static_cast<int>(i)].is_null()) cols[i] = r[static_cast<int>(i)].c_str();
        }
        rows.emplace_back(std::move(cols));
      }
      return rows;
    } catch (const std::exception& e) {
      return FromException(e);
    }
  }

  StatusOr<int64_t> Exec(const std::string& sql, const SqlParams& params) override {
    try {
      return static_cast<int64_t>(Run(sql, params).affected_rows());
    } catch (const std::exception& e) {
      return FromException(e);
    }
  }

  StatusOr<std::optional<int64_t>> InsertId(const std::string& sql,
                                            const SqlParams& params) override {
    FZ_ASSIGN_OR_RETURN(SqlRows rows, Query(sql + " RETURNING id", params));
    if (rows.empty()) return std::optional<int64_t>();
    return std::optional<int64_t>(rows[0].Int(0));
  }

 private:
  pqxx::result Run(const std::string& sql, const SqlParams& params) {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
      std::string name = StrCat("s", static_cast<int64_t>(prepared_.size()));
      conn_->prepare(name, sql);
      it = prepared_.emplace(sql, name).first;
    }
    std::vector<std::optional<std::string>> text = ToText(params);
    return tx_->exec_prepared(it->second, pqxx::prepare::make_dynamic_params(text));
  }

  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<pqxx::nontransaction> tx_;
  std::unordered_map<std::string, std::string> prepared_;
};

}  // namespace

StatusOr<std::unique_ptr<SqlConn>> OpenPostgres(const std::string& url) {
  try {
    auto conn = std::make_unique<pqxx::connection>(url);
    return std::unique_ptr<SqlConn>(std::make_unique<PgConn>(std::move(conn)));
  } catch (const std::exception& e) {
    return absl::UnavailableError(StrCat("postgresql: cannot connect: ", e.what()));
  }
}

}  // namespace fz::store
