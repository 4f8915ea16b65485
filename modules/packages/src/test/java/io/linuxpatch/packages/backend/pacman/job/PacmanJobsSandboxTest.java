package io.linuxpatch.packages.backend.pacman.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.packages.backend.pacman.HostPacmanStateGuard;
import io.linuxpatch.packages.backend.pacman.PacmanAgent;
import io.linuxpatch.packages.backend.pacman.PacmanAssumptions;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanDemoPackages;
import io.linuxpatch.process.RunningProcess;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * pacman jobs through PackageVerticle's job engine on a real demo sandbox: the exact argv, changes read back from
 * the local database, rollbacks from the package cache (refused before anything runs when they cannot be done),
 * db.lck waited for with its holder named, a cancel's stale lock removed, a failing scriptlet that pacman reports
 * with exit 0, conflicts answered by {@code --ask=5}, holds passed as {@code --ignore}.
 */
@ExtendWith(HostPacmanStateGuard.class)
class PacmanJobsSandboxTest {

  @TempDir
  Path dir;
  PacmanAgent agent;

  @BeforeEach
  void deploy() throws Exception {
    PacmanAssumptions.assumeSandboxPossible();
    agent = PacmanAgent.demo(dir);
  }

  @AfterEach
  void close() throws Exception {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  @DisplayName("install with its dependency: pacman --noconfirm --ask=5 -S --needed -- demo-app, both read back, progress grows; the rollback removes both")
  void installAndRollback() throws Exception {
    JsonObject outcome = agent.execute("install", PacmanAgent.packages("demo-app"));
    assertThat(outcome.getString("outcome")).as(outcome.encode()).isEqualTo("completed");
    assertThat(outcome.getJsonArray("changes")).containsExactly(
        change("demo-app", "install", null, "2.0-1"), change("demo-lib", "install", null, "2.0-1"));
    List<String> argv = lastPacmanRun("-S");
    assertThat(argv).containsSubsequence("/usr/bin/pacman", "--config", "--noconfirm", "--ask=5", "-S", "--needed",
        "--", "demo-app");
    assertThat(argv.get(argv.size() - 1)).isEqualTo("demo-app");
    List<Integer> values = agent.progress.stream().filter(p -> p.getInteger("progress") != null)
        .map(p -> p.getInteger("progress")).toList();
    assertThat(values).isSorted().isNotEmpty();
    assertThat(values.get(values.size() - 1)).isGreaterThanOrEqualTo(60);

    JsonObject rollback = agent.execute("rollback", new JsonObject().put("changes", outcome.getJsonArray("changes")));
    assertThat(rollback.getString("outcome")).as(rollback.encode()).isEqualTo("completed");
    assertThat(agent.installedVersion("demo-app")).isNull();
    assertThat(agent.installedVersion("demo-lib")).isNull();
  }

  @Test
  @DisplayName("an update's rollback: PKG_VERSION_NOT_FOUND without starting pacman when the cached 1.0-1 is gone, -U of the cached file when it is there")
  void updateRollbackFromCache() throws Exception {
    JsonObject update = agent.execute("update", PacmanAgent.packages("demo-tool"));
    assertThat(update.getString("outcome")).as(update.encode()).isEqualTo("completed");
    assertThat(update.getJsonArray("changes")).containsExactly(change("demo-tool", "upgrade", "1.0-1", "1.1-1"));
    JsonObject rollback = new JsonObject().put("changes", update.getJsonArray("changes"));

    Path cached = agent.sandbox.cacheDirectory().resolve("demo-tool-1.0-1-any.pkg.tar.zst");
    Path aside = dir.resolve("aside.pkg.tar.zst");
    Files.move(cached, aside);
    int before = agent.started.get();
    JsonObject refused = agent.execute("rollback", rollback);
    assertThat(refused.getString("outcome")).isEqualTo("failed");
    assertThat(refused.getString("error_code")).isEqualTo("PKG_VERSION_NOT_FOUND");
    assertThat(refused.getString("error")).contains("demo-tool 1.0-1");
    assertThat(agent.started.get()).as("pacman runs for a refused rollback").isEqualTo(before);
    assertThat(agent.installedVersion("demo-tool")).isEqualTo("1.1-1");

    Files.move(aside, cached);
    JsonObject done = agent.execute("rollback", rollback);
    assertThat(done.getString("outcome")).as(done.encode()).isEqualTo("completed");
    assertThat(lastPacmanRun("-U")).endsWith("--", cached.toString());
    assertThat(done.getJsonArray("changes")).containsExactly(change("demo-tool", "downgrade", "1.1-1", "1.0-1"));
  }

  @Test
  @DisplayName("a rollback of packages a later change touched is PLAN_STALE, before anything runs")
  void rollbackAfterLaterChange() throws Exception {
    JsonObject install = agent.execute("install", PacmanAgent.packages("demo-app"));
    assertThat(agent.execute("remove", PacmanAgent.packages("demo-app")).getString("outcome")).isEqualTo("completed");
    int before = agent.started.get();
    JsonObject rollback = agent.execute("rollback", new JsonObject().put("changes", install.getJsonArray("changes")));
    assertThat(rollback.getString("error_code")).isEqualTo("PLAN_STALE");
    assertThat(rollback.getString("error")).contains("demo-app was left at 2.0-1, is now not installed");
    assertThat(agent.started.get()).isEqualTo(before);
  }

  @Test
  @DisplayName("the conflicting demo-modern replaces demo-legacy (--ask=5 says yes); the rollback brings demo-legacy back from the cache")
  void conflictAndRollback() throws Exception {
    JsonObject plan = agent.request(Addresses.PACKAGES_PLAN, new JsonObject().put("operation", "install")
        .put("packages", new JsonArray().add(new JsonObject().put("name", "demo-modern"))));
    assertThat(plan.getJsonArray("remove").getJsonObject(0).getString("name")).isEqualTo("demo-legacy");
    JsonObject outcome = agent.execute("install", PacmanAgent.packages("demo-modern"));
    assertThat(outcome.getString("outcome")).as(outcome.encode()).isEqualTo("completed");
    assertThat(outcome.getJsonArray("changes")).containsExactly(
        change("demo-legacy", "remove", "0.9-1", null), change("demo-modern", "install", null, "1.0-1"));

    JsonObject rollback = agent.execute("rollback", new JsonObject().put("changes", outcome.getJsonArray("changes")));
    assertThat(rollback.getString("outcome")).as(rollback.encode()).isEqualTo("completed");
    assertThat(agent.installedVersion("demo-legacy")).isEqualTo("0.9-1");
    assertThat(agent.installedVersion("demo-modern")).isNull();
  }

  @Test
  @DisplayName("another pacman holds db.lck: the job waits saying which process holds it, then runs once it is free")
  void waitsForLockThenRuns() throws Exception {
    GatedTransaction gated = GatedTransaction.prepare(agent.sandbox, PacmanAgent.RUNNER);
    RunningProcess holder = gated.start(PacmanAgent.RUNNER, null);
    PacmanLock lock = new PacmanLock(agent.sandbox.dbPath());
    await().atMost(30, TimeUnit.SECONDS).until(() -> lock.inspect() instanceof PacmanLock.Held);
    long before = transactions();
    Future<JsonObject> job = agent.executeAsync("job-waiting", "install", PacmanAgent.packages("demo-app"), 60);
    String said = "held by process " + holder.pid() + " (pacman)";
    await().atMost(30, TimeUnit.SECONDS).until(() -> agent.progress.stream()
        .anyMatch(p -> p.getString("message", "").contains(said)));
    assertThat(transactions()).as("no pacman transaction started while the lock is held").isEqualTo(before);
    assertThat(job.isComplete()).isFalse();

    gated.release();
    JsonObject outcome = job.await(120, TimeUnit.SECONDS);
    assertThat(outcome.getString("outcome")).as(outcome.encode()).isEqualTo("completed");
    assertThat(outcome.getJsonArray("logs").getList()).anyMatch(l -> String.valueOf(l).contains(said));
    assertThat(agent.installedVersion("demo-app")).isEqualTo("2.0-1");
    assertThat(holder.await().exitCode()).isZero();
  }

  @Test
  @DisplayName("a lock held longer than lock_wait_seconds: PKG_MANAGER_LOCKED, the holder named, pacman never started")
  void lockWaitLimit() throws Exception {
    GatedTransaction gated = GatedTransaction.prepare(agent.sandbox, PacmanAgent.RUNNER);
    RunningProcess holder = gated.start(PacmanAgent.RUNNER, null);
    PacmanLock lock = new PacmanLock(agent.sandbox.dbPath());
    await().atMost(30, TimeUnit.SECONDS).until(() -> lock.inspect() instanceof PacmanLock.Held);
    long before = transactions();
    JsonObject outcome = agent.executeAsync("job-locked", "install", PacmanAgent.packages("demo-app"), 2)
        .await(60, TimeUnit.SECONDS);
    assertThat(outcome.getString("outcome")).isEqualTo("failed");
    assertThat(outcome.getString("error_code")).isEqualTo("PKG_MANAGER_LOCKED");
    assertThat(outcome.getString("error")).contains("held by process " + holder.pid() + " (pacman)");
    assertThat(transactions()).isEqualTo(before);
    gated.release();
    assertThat(holder.await().exitCode()).isZero();
  }

  @Test
  @DisplayName("a cancel while the job waits for the lock: cancelled, and pacman never started")
  void cancelWhileWaiting() throws Exception {
    GatedTransaction gated = GatedTransaction.prepare(agent.sandbox, PacmanAgent.RUNNER);
    RunningProcess holder = gated.start(PacmanAgent.RUNNER, null);
    PacmanLock lock = new PacmanLock(agent.sandbox.dbPath());
    await().atMost(30, TimeUnit.SECONDS).until(() -> lock.inspect() instanceof PacmanLock.Held);
    long before = transactions();
    Future<JsonObject> job = agent.executeAsync("job-waits", "install", PacmanAgent.packages("demo-app"), 60);
    await().atMost(30, TimeUnit.SECONDS).until(() -> agent.progress.stream()
        .anyMatch(p -> "job-waits".equals(p.getString("job_id")) && p.getString("message", "").contains("held by")));
    assertThat(agent.request(Addresses.PACKAGES_CANCEL, new JsonObject().put("job_id", "job-waits"))
        .getBoolean("cancelled")).isTrue();
    JsonObject outcome = job.await(30, TimeUnit.SECONDS);
    assertThat(outcome.getString("outcome")).isEqualTo("cancelled");
    assertThat(outcome.getString("error_code")).isEqualTo("CANCELLED");
    assertThat(transactions()).isEqualTo(before);
    gated.release();
    assertThat(holder.await().exitCode()).isZero();
  }

  @Test
  @DisplayName("a stale db.lck nobody holds: the job says so and fails PKG_MANAGER_LOCKED; a repair job removes it and the install runs")
  void staleLockAndRepair() throws Exception {
    Files.writeString(agent.sandbox.lockFile(), "");
    JsonObject locked = agent.executeAsync("job-stale", "install", PacmanAgent.packages("demo-app"), 1)
        .await(60, TimeUnit.SECONDS);
    assertThat(locked.getString("error_code")).isEqualTo("PKG_MANAGER_LOCKED");
    assertThat(locked.getString("error")).contains("no process holds it", "repair");
    assertThat(Files.exists(agent.sandbox.lockFile())).as("the engine does not remove a lock on its own").isTrue();

    JsonObject repair = agent.execute("repair", new JsonObject());
    assertThat(repair.getString("outcome")).as(repair.encode()).isEqualTo("completed");
    assertThat(Files.exists(agent.sandbox.lockFile())).isFalse();
    assertThat(agent.execute("install", PacmanAgent.packages("demo-app")).getString("outcome")).isEqualTo("completed");
  }

  @Test
  @DisplayName("cancel mid-transaction: the job ends cancelled, the stale db.lck pacman left is removed, the next job runs")
  void cancelRemovesStaleLock() throws Exception {
    GatedTransaction.prepare(agent.sandbox, PacmanAgent.RUNNER); // demo-gate blocks in pre_install, holding db.lck
    Future<JsonObject> job = agent.executeAsync("job-cancel", "install", PacmanAgent.packages(GatedTransaction.PACKAGE), 30);
    PacmanLock lock = new PacmanLock(agent.sandbox.dbPath());
    await().atMost(60, TimeUnit.SECONDS).until(() -> lock.inspect() instanceof PacmanLock.Held);
    assertThat(agent.request(Addresses.PACKAGES_CANCEL, new JsonObject().put("job_id", "job-cancel"))
        .getBoolean("cancelled")).isTrue();
    JsonObject outcome = job.await(60, TimeUnit.SECONDS);
    assertThat(outcome.getString("outcome")).isEqualTo("cancelled");
    assertThat(outcome.getJsonArray("logs").getList()).anyMatch(l -> String.valueOf(l).contains("removed the stale pacman lock"));
    assertThat(lock.inspect()).isEqualTo(new PacmanLock.Free());
    assertThat(Files.exists(agent.sandbox.lockFile())).isFalse();
    JsonObject next = agent.execute("install", PacmanAgent.packages("demo-app"));
    assertThat(next.getString("outcome")).as(next.encode()).isEqualTo("completed");
  }

  @Test
  @DisplayName("a failing post_install: pacman exits 0 and installs it, the job fails MAINTAINER_SCRIPT_FAILED; a repair job checks the database")
  void failingScriptletThenRepair() throws Exception {
    agent.sandbox.publish(List.of(PacmanDemoPackages.failingScriptlet("demo-broken", "1.0-1")));
    JsonObject outcome = agent.execute("install", PacmanAgent.packages("demo-broken"));
    assertThat(outcome.getString("outcome")).isEqualTo("failed");
    assertThat(outcome.getString("error_code")).isEqualTo("MAINTAINER_SCRIPT_FAILED");
    assertThat(outcome.getInteger("exit_code")).isZero();
    assertThat(outcome.getString("error")).isEqualTo("command failed to execute correctly");
    assertThat(outcome.getJsonArray("changes")).containsExactly(change("demo-broken", "install", null, "1.0-1"));

    JsonObject repair = agent.execute("repair", new JsonObject());
    assertThat(repair.getString("outcome")).as(repair.encode()).isEqualTo("completed");
    assertThat(lastPacmanRun("-Dk")).endsWith("-Dk");
  }

  @Test
  @DisplayName("a patch run honours a hold: --ignore demo-tool, only demo-ssl is upgraded; security_only picks demo-ssl alone")
  void patchRunHonoursHold() throws Exception {
    JsonObject securityOnly = agent.request(Addresses.PACKAGES_PLAN, new JsonObject().put("operation", "patch_apply")
        .put("security_only", true));
    assertThat(securityOnly.getJsonArray("upgrade").getJsonObject(0).getString("name")).isEqualTo("demo-ssl");
    assertThat(securityOnly.getJsonArray("upgrade")).hasSize(1);
    assertThat(securityOnly.getJsonArray("kept_back")).containsExactly("demo-tool");

    agent.request(Addresses.PACKAGES_HOLD, new JsonObject().put("name", "demo-tool").put("hold", true));
    JsonObject outcome = agent.execute("patch_apply", new JsonObject());
    assertThat(outcome.getString("outcome")).as(outcome.encode()).isEqualTo("completed");
    assertThat(outcome.getJsonArray("changes")).containsExactly(change("demo-ssl", "upgrade", "1.0-1", "1.1-1"));
    assertThat(lastPacmanRun("-Su")).containsSubsequence("-Su", "--ignore", "demo-tool");
    assertThat(agent.installedVersion("demo-tool")).isEqualTo("1.0-1");
  }

  // --- helpers -------------------------------------------------------------------------------------------

  private static JsonObject change(String name, String action, String from, String to) {
    return new JsonObject().put("name", name).put("action", action).put("from_version", from).put("to_version", to);
  }

  /** How many pacman runs that are not plans ({@code --print}) the agent has started. */
  private long transactions() {
    return agent.argvs.stream().filter(argv -> !argv.contains("--print")).count();
  }

  /** The argv of the last process started that has {@code operation} as an argument. */
  private List<String> lastPacmanRun(String operation) {
    for (int i = agent.argvs.size() - 1; i >= 0; i--) {
      if (agent.argvs.get(i).contains(operation) && !agent.argvs.get(i).contains("--print")) {
        return agent.argvs.get(i);
      }
    }
    throw new AssertionError("no pacman " + operation + " run in " + agent.argvs);
  }
}
