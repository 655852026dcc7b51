#include "fz/cli/serve_command.h"

#include <signal.h>

#include <iostream>
#include <memory>

#include "fz/api/api_server.h"
#include "fz/api/people_directory.h"
#include "fz/api/server_config.h"
#include "fz/cli/detect_inputs.h"
#include "fz/cli/store_cli.h"
#include "fz/common/logging.h"
#include "fz/common/str_cat.h"
#include "fz/workflow/lifecycle.h"

namespace fz::cli {
namespace {

struct ServeOptions {
  StoreCliOptions store;
  DetectInputPaths inputs;
  std::string rules;
  std::string config;
  std::string listen;
  std::string state_dir;
  std::string spool;
  std::string quarantine;
  std::string web_root;
};

// Indicators added through the API (and confirmed pending ones) live in the database; the
// files given with --intel are the bulk national/provincial lists. Both feed the matcher.
Status LoadStoredIntel(store::Store& store, intel::IntelStore& intel, int64_t* loaded) {
  return store.ForEachIndicator([&](const model::Indicator& x) {
    ++*loaded;
    return intel.Add(x);
  });
}

Status RegisterUnits(store::Store& store, const units::UnitTree& tree) {
  std::vector<std::string> paths;
  for (const model::Unit& u : tree.units()) {
    std::vector<model::UnitCode> codes;
    for (const model::Unit* p : tree.Path(u.code)) codes.push_back(p->code);
    paths.push_back(workflow::UnitPath(codes));
  }
  return store.RegisterUnitPaths(paths);
}

// The people base lives in the database (the console edits it); a --people file is imported
// into it at start (idempotent by person id). The detector and routing then read an index
// built from the database, which API edits keep current.
StatusOr<std::unique_ptr<detect::PeopleIndex>> LoadPeople(store::Store& store,
                                                          const units::UnitTree& tree,
                                                          const detect::PeopleIndex* file) {
  // The server itself reads the base: a city-wide role that sees personal data (audited as
  // "system").
  const workflow::Actor reader{"system", workflow::Role::kDispatcher, tree.Root()->code};
  if (file != nullptr) {
    const std::vector<model::Person>& all = file->all();
    for (size_t i = 0; i < all.size(); i += 5000) {
      std::vector<model::Person> chunk(
          all.begin() + static_cast<ptrdiff_t>(i),
          all.begin() + static_cast<ptrdiff_t>(std::min(all.size(), i + 5000)));
      FZ_RETURN_IF_ERROR(
          store.UpsertPeople(chunk, workflow::SystemActor(tree.Root()->code)).status());
    }
  }
  auto index = std::make_unique<detect::PeopleIndex>();
  store::PeopleFilter filter;
  filter.unit = tree.Root()->code;
  filter.limit = 1000;
  for (;;) {
    FZ_ASSIGN_OR_RETURN(store::PeoplePage page, store.ListPeople(filter, reader));
    for (store::PersonRow& row : page.rows) index->Add(std::move(row.person));
    if (!page.next) break;
    filter.after = page.next;
  }
  return index;
}

int RunServe(const ServeOptions& o) {
  api::ServerConfig config;
  if (!o.config.empty()) {
    StatusOr<Config> file = Config::LoadFile(o.config);
    if (!file.ok()) return FailCommand("serve", file.status());
    if (Status s = api::ApplyServerConfig(*file, &config); !s.ok()) return FailCommand("serve", s);
  }
  if (!o.listen.empty()) {
    if (Status s = api::ParseListen(o.listen, &config.api.http); !s.ok()) {
      return FailCommand("serve", s);
    }
  }
  config.api.rules_path = o.rules;
  config.api.pipeline.state_dir = o.state_dir;
  config.api.spool_dir = o.spool;
  config.api.quarantine_path = o.quarantine;
  config.api.web_root = o.web_root;

  ingest::Quarantine quarantine =
      o.quarantine.empty() ? ingest::Quarantine() : ingest::Quarantine(o.quarantine + ".load");
  StatusOr<detect::RuleSet> rules =
      detect::RuleSet::LoadFile(o.rules, model::FraudTypeRegistry::WithBuiltins());
  if (!rules.ok()) return FailCommand("serve", rules.status());
  StatusOr<std::unique_ptr<DetectInputs>> inputs =
      LoadDetectInputs(o.inputs, rules->fraud_types(), quarantine);
  if (!inputs.ok()) return FailCommand("serve", inputs.status());
  DetectInputs& in = **inputs;
  StatusOr<std::unique_ptr<StoreContext>> ctx = OpenStoreContext(o.store, true, &in.types);
  if (!ctx.ok()) return FailCommand("serve", ctx.status());
  StoreContext& c = **ctx;
  if (Status s = RegisterUnits(*c.store, c.tree); !s.ok()) return FailCommand("serve", s);
  int64_t stored_intel = 0;
  if (Status s = LoadStoredIntel(*c.store, in.intel, &stored_intel); !s.ok()) {
    return FailCommand("serve", s);
  }
  StatusOr<std::unique_ptr<auth::Accounts>> accounts =
      auth::Accounts::Open(o.store.db, config.accounts, DefaultClock());
  if (!accounts.ok()) return FailCommand("serve", accounts.status());

  StatusOr<std::unique_ptr<detect::PeopleIndex>> people =
      LoadPeople(*c.store, c.tree, in.people ? &*in.people : nullptr);
  if (!people.ok()) return FailCommand("serve", people.status());
  api::PeopleDirectory directory(people->get());
  api::ApiDeps deps;
  deps.store = c.store.get();
  deps.accounts = accounts->get();
  deps.tree = &c.tree;
  deps.config = &c.config;
  deps.types = &in.types;
  deps.clock = DefaultClock();
  deps.intel = std::make_unique<intel::IntelStore>(std::move(in.intel));
  deps.rules = std::make_shared<const detect::RuleSet>(std::move(*rules));
  deps.people = people->get();
  deps.directory = &directory;

  // Signals are taken by sigwait below, so every thread started from here on blocks them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  api::ApiServer server(std::move(deps), config.api);
  if (Status s = server.Start(); !s.ok()) return FailCommand("serve", s);
  const http::ServerOptions& h = config.api.http;
  std::cout << "fanzha serve: listening on " << (h.tls_cert_file.empty() ? "http" : "https")
            << "://" << h.address << ":" << server.port() << " (store " << o.store.db << ", "
            << stored_intel << " stored indicators, " << (*people)->size() << " people)"
            << std::endl;
  int signal = 0;
  sigwait(&signals, &signal);
  std::cout << "fanzha serve: " << (signal == SIGINT ? "SIGINT" : "SIGTERM")
            << ", shutting down gracefully" << std::endl;
  server.Stop();
  const api::PipelineStats stats = server.pipeline().stats();
  std::cout << "fanzha serve: stopped; events " << stats.events << " (duplicates "
            << stats.duplicates << "), new warnings " << stats.warnings_new << ", upgrades "
            << stats.warnings_upgraded << ", escalations " << stats.escalations << std::endl;
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Serve the HTTP API and live push: ingest, detect, route, work warnings");
  AddStoreOptions(cmd, &o->store);
  cmd->add_option("--rules", o->rules, "rules file (TOML); reloads rewrite it")->required();
  cmd->add_option("--intel", o->inputs.intel, "intelligence CSV (repeatable)");
  cmd->add_option("--whitelist", o->inputs.whitelist, "whitelist / known-good CSV (repeatable)");
  cmd->add_option("--people", o->inputs.people, "high-risk people CSV");
  cmd->add_option("--config", o->config, "server settings (TOML, see config/server.toml)");
  cmd->add_option("--listen", o->listen, "host:port, overrides the config (port 0: any)");
  cmd->add_option("--state-dir", o->state_dir,
                  "detector journal and checkpoints (a restart keeps windows)");
  cmd->add_option("--spool", o->spool, "watch this directory for carriers' event files");
  cmd->add_option("--quarantine", o->quarantine, "rejected records (JSONL)");
  cmd->add_option("--web-root", o->web_root, "built web console to serve at /");
  cmd->callback([o, &exit_code] {
    o->inputs.units = o->store.units;
    exit_code = RunServe(*o);
  });
}

}  // namespace fz::cli
