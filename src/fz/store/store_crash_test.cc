// Crash test: a child process ingests 100k events and applies transitions against a SQLite
// store and is killed with SIGKILL at 20 random points; each restart re-delivers from a little
// before its last acknowledgement (at-least-once delivery). Afterwards every acknowledged event
// and transition is present exactly once and the audit chain verifies.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "fz/common/str_cat.h"
#include "fz/store/store.h"
#include "fz/store/testing/store_fixture.h"
#include "fz/units/yinchuan_seed.h"
#include "gtest/gtest.h"

namespace fz::store {
namespace {

constexpr int kEvents = 100'000;
constexpr int kBatch = 1'000;           // events per ingest commit
constexpr int kRedeliver = 1'000;       // events re-sent after a restart
constexpr int kTransitionThreads = 16;  // concurrent callers: group commit
constexpr int kKills = 20;

// Two events per warning: the second delivery adds evidence to an existing warning.
int64_t WarningOf(int event) { return event / 2 + 1; }

workflow::Actor Officer() {
  return {.user = "officer", .role = workflow::Role::kOfficer, .unit = model::UnitCode("640100")};
}

// Appends one acknowledgement line with a single write(2): a SIGKILL never tears a line.
void Ack(int fd, const std::string& line) {
  std::string text = line + "\n";
  ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
}

int LastAckedEvent(const std::string& ack_path) {
  std::ifstream in(ack_path);
  std::string kind;
  int64_t value = 0;
  int last = -1;
  while (in >> kind >> value) {
    if (kind == "E") last = std::max(last, static_cast<int>(value));
  }
  return last;
}

// The child: resumes after the last acknowledged batch, minus a re-delivery window.
[[noreturn]] void RunChild(const std::string& url, const std::string& ack_path) {
  SimulatedClock clock(absl::FromUnixSeconds(1'780'000'000));
  workflow::WorkflowConfig config = workflow::WorkflowConfig::Defaults();
  units::UnitTree tree = *units::YinchuanSeed();
  workflow::RoutingPolicy policy(config.routing, tree, nullptr);
  StatusOr<std::unique_ptr<Store>> store = OpenStore(url, config, &clock);
  if (!store.ok() || !(*store)->Migrate().ok()) _exit(3);
  int fd = open(ack_path.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  int start = std::max(0, LastAckedEvent(ack_path) + 1 - kRedeliver);
  start -= start % kBatch;
  workflow::Actor system = workflow::SystemActor(model::UnitCode("640100"));
  for (int first = start; first < kEvents; first += kBatch) {
    std::vector<workflow::RoutedWarning> batch;
    for (int e = first; e < first + kBatch; ++e) {
      model::Warning w = testing::StoreTest::MakeWarning(
          WarningOf(e), "+8613895101234", model::WarningLevel::kOrange, StrCat("ev-", e));
      batch.push_back(*policy.Intake(std::move(w), {}));
    }
    if (!(*store)->Ingest(batch, system).ok()) _exit(4);
    Ack(fd, StrCat("E ", first + kBatch - 1));
    // Accept every warning whose two events are in: from several threads at once.
    std::vector<std::thread> threads;
    std::atomic<bool> failed{false};
    for (int t = 0; t < kTransitionThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int64_t id = WarningOf(first) + t; id <= WarningOf(first + kBatch - 1);
             id += kTransitionThreads) {
          TransitionRequest req{.request_id = StrCat("acc-", id),
                                .warning = model::WarningId(id),
                                .to = workflow::WarningState::kAccepted,
                                .actor = Officer()};
          if (!(*store)->ApplyTransition(req).ok())
            failed = true;
          else
            Ack(fd, StrCat("T ", id));
        }
      });
    }
    for (auto& t : threads) t.join();
    if (failed) _exit(5);
  }
  close(fd);
  store->reset();
  _exit(0);
}

TEST(StoreCrash, SigkillAtRandomPointsLosesAndDuplicatesNothing) {
  // SIGKILL ends the process, not the machine: what the kernel has accepted survives, so a
  // RAM-backed directory tests the same thing as a disk and keeps the test fast.
  std::filesystem::path base = std::filesystem::is_directory("/dev/shm")
                                   ? std::filesystem::path("/dev/shm")
                                   : std::filesystem::temp_directory_path();
  std::string tmpl = (base / "fz-crash-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  const std::string url = StrCat("sqlite:", tmpl, "/crash.db");
  const std::string ack_path = tmpl + "/acks.txt";
  std::mt19937 rng(20261126);
  std::uniform_int_distribution<int> delay_ms(30, 250);
  int kills = 0;
  for (;;) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) RunChild(url, ack_path);
    int status = 0;
    if (kills < kKills) {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
      if (waitpid(pid, &status, WNOHANG) == 0) {
        kill(pid, SIGKILL);
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFSIGNALED(status));
        ++kills;
        continue;
      }
    } else {
      ASSERT_EQ(waitpid(pid, &status, 0), pid);
    }
    ASSERT_TRUE(WIFEXITED(status)) << "child status " << status;
    ASSERT_EQ(WEXITSTATUS(status), 0);
    break;
  }
  EXPECT_EQ(kills, kKills) << "the child finished before all kills; lengthen its work";

  // Everything acknowledged is there exactly once (unique keys make "once" a count check).
  std::ifstream in(ack_path);
  std::string kind;
  int64_t value = 0;
  std::set<int64_t> acked_transitions;
  int last_event = -1;
  while (in >> kind >> value) {
    if (kind == "T") acked_transitions.insert(value);
    if (kind == "E") last_event = std::max(last_event, static_cast<int>(value));
  }
  EXPECT_EQ(last_event, kEvents - 1);
  SimulatedClock clock;
  workflow::WorkflowConfig config = workflow::WorkflowConfig::Defaults();
  StatusOr<std::unique_ptr<Store>> store = OpenStore(url, config, &clock);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*(*store)->CountRows("ingested_events"), kEvents);
  EXPECT_EQ(*(*store)->CountRows("evidence"), kEvents);
  EXPECT_EQ(*(*store)->CountRows("warnings"), kEvents / 2);
  EXPECT_EQ(static_cast<int64_t>(acked_transitions.size()), kEvents / 2);
  // One dispatch and one accept per warning, nothing twice.
  EXPECT_EQ(*(*store)->CountRows("transitions"), kEvents);
  for (int64_t id : {int64_t{1}, int64_t{kEvents / 4}, int64_t{kEvents / 2}}) {
    StatusOr<WarningDetail> d = (*store)->GetWarning(
        model::WarningId(id), workflow::SystemActor(model::UnitCode("640100")));
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(d->summary.state, workflow::WarningState::kAccepted);
    EXPECT_EQ(d->evidence.size(), 2u);
    EXPECT_EQ(d->transitions.size(), 2u);
  }
  StatusOr<AuditVerification> v = (*store)->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
  store->reset();
  std::filesystem::remove_all(tmpl);
}

}  // namespace
}  // namespace fz::store
