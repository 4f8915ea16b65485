package io.linuxpatch.packages.backend.apt.job;

import static io.linuxpatch.packages.backend.apt.job.JobSandbox.assertChange;
import static io.linuxpatch.packages.backend.apt.job.JobSandbox.packages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.packages.backend.apt.sandbox.DebBuilder;
import io.linuxpatch.packages.backend.apt.sandbox.DebPackage;
import io.linuxpatch.packages.backend.apt.sandbox.HostPackageDatabaseGuard;
import io.linuxpatch.packages.backend.apt.sandbox.SandboxRoot;
import io.linuxpatch.process.OutputChannel;
import io.linuxpatch.process.ProcessSpec;
import io.linuxpatch.process.RunningProcess;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The execution side of the job engine (JOB-2..JOB-8) through the event bus, on PackageVerticle deployed as a
 * worker over a real sandbox root: real apt-get and dpkg, real maintainer scripts, a real lock holder.
 */
@Tag("JOB-2")
@Tag("JOB-8")
@ExtendWith(HostPackageDatabaseGuard.class)
class JobExecutionSandboxTest {

  /** The postinst sleeps on its first run only, so the repair after a cancel or timeout configures it quickly. */
  private static final String SLEEPER_POSTINST = "echo $$ > \"$DPKG_ROOT/tmp/sleeper.pid\"\n"
      + "if [ ! -e \"$DPKG_ROOT/tmp/slept\" ]; then touch \"$DPKG_ROOT/tmp/slept\"; exec sleep 60; fi\n";
  private static final List<DebPackage> PACKAGES = List.of(
      DebPackage.of("demo-lib", "1.0", "demo library"),
      DebPackage.of("demo-lib", "1.1", "demo library"),
      DebPackage.of("demo-tool", "1.0", "demo tool").withDepends("demo-lib"),
      DebPackage.of("demo-tool", "1.1", "demo tool").withDepends("demo-lib"),
      DebPackage.of("failer", "1.0", "fails to configure until tmp/ok exists")
          .withPostinst("[ -e \"$DPKG_ROOT/tmp/ok\" ] || { echo failing on purpose >&2; exit 1; }"),
      DebPackage.of("sleeper", "1.0", "sleeps while configured").withPostinst(SLEEPER_POSTINST));

  @TempDir
  Path dir;
  JobSandbox sandbox;

  @BeforeAll
  static void tools() {
    assumeTrue(Files.isExecutable(SandboxRoot.APT_GET), "apt-get is not installed");
    assumeTrue(Files.isExecutable(DebBuilder.DPKG_DEB), "dpkg-deb is not installed");
    assumeTrue("root".equals(System.getProperty("user.name")),
        "apt-get install needs root, even on a sandbox root (it chowns its cache and runs dpkg)");
  }

  @AfterEach
  void close() throws Exception {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private JobSandbox sandbox(Path... debs) throws Exception {
    sandbox = new JobSandbox(dir, PACKAGES, List.of(debs));
    return sandbox;
  }

  @Test
  @DisplayName("install with a dependency lists both as changes, progress grows, and its rollback removes both")
  void installAndRollback() throws Exception {
    JobSandbox s = sandbox();
    JsonObject result = s.execute("install", packages("demo-tool=1.0"));

    assertThat(result.getString("outcome")).as(result.encodePrettily()).isEqualTo("completed");
    assertThat(result.getInteger("exit_code")).isZero();
    JsonArray changes = result.getJsonArray("changes");
    assertThat(changes).hasSize(2);
    assertChange(changes, "demo-lib", "install", null, "1.1");
    assertChange(changes, "demo-tool", "install", null, "1.0");
    assertThat(changes.getJsonObject(0).getString("name")).isEqualTo("demo-lib");
    assertThat(result.getJsonObject("plan").getString("plan_id")).isNotBlank();
    assertThat(result.getJsonArray("logs").stream().map(String::valueOf))
        .isNotEmpty().noneMatch(l -> l.startsWith("pmstatus:") || l.startsWith("dlstatus:"))
        // dpkg's own lines, not only apt's up to "Fetched …" (issue 19).
        .anyMatch(l -> l.startsWith("Unpacking demo-tool")).anyMatch(l -> l.startsWith("Setting up demo-tool"));
    // The last progress message is sent just before the reply, but reaches the test's consumer on its own.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> !s.progress.isEmpty()
        && s.progress.get(s.progress.size() - 1).getInteger("progress") > 20);
    List<Integer> progress = s.progress.stream().map(p -> p.getInteger("progress")).toList();
    assertThat(progress).isNotEmpty().isSorted();
    // JOB-7: the before-versions were announced to the job engine as the run started.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> s.plans.size() == 1);
    assertThat(s.plans.get(0).getJsonObject("plan").getJsonArray("install").encode()).contains("demo-tool");

    JsonObject rollback = s.execute("rollback", new JsonObject().put("changes", changes));

    assertThat(rollback.getString("outcome")).as(rollback.encodePrettily()).isEqualTo("completed");
    assertThat(rollback.getJsonArray("changes").stream().map(c -> ((JsonObject) c).getString("name")))
        .containsExactly("demo-lib", "demo-tool");
    assertThat(s.dpkgQuery("demo-tool")).doesNotStartWith("installed");
    assertThat(s.dpkgQuery("demo-lib")).doesNotStartWith("installed");
  }

  @Test
  @DisplayName("an upgrade's rollback fails before touching anything when 1.0 is nowhere, and restores 1.0 from the apt cache")
  void upgradeAndRollbackFromCache() throws Exception {
    JobSandbox s = sandbox();
    s.root.install("demo-lib=1.0", "demo-tool=1.0");
    JsonObject upgrade = s.execute("update", packages("demo-tool"));
    assertThat(upgrade.getString("outcome")).as(upgrade.encodePrettily()).isEqualTo("completed");
    JsonArray changes = upgrade.getJsonArray("changes");
    assertThat(changes).hasSize(1);
    assertChange(changes, "demo-tool", "upgrade", "1.0", "1.1");

    // 1.0 leaves the repository index; only apt's cache still has it.
    s.replaceRepository("repo2", List.of(PACKAGES.get(1), PACKAGES.get(3)));
    Path cached = s.root.root().resolve("var/cache/apt/archives/demo-tool_1.0_all.deb");
    assertThat(cached).exists();
    Path aside = Files.move(cached, dir.resolve("aside.deb"));
    byte[] statusBefore = Files.readAllBytes(s.root.statusFile());

    JsonObject impossible = s.execute("rollback", new JsonObject().put("changes", changes));

    assertThat(impossible.getString("outcome")).isEqualTo("failed");
    assertThat(impossible.getString("error_code")).isEqualTo("PKG_VERSION_NOT_FOUND");
    assertThat(impossible.getString("error")).contains("demo-tool 1.0");
    assertThat(impossible.getJsonArray("changes")).isEmpty();
    assertThat(Files.readAllBytes(s.root.statusFile())).isEqualTo(statusBefore);

    Files.move(aside, cached);
    JsonObject rollback = s.execute("rollback", new JsonObject().put("changes", changes));

    assertThat(rollback.getString("outcome")).as(rollback.encodePrettily()).isEqualTo("completed");
    assertChange(rollback.getJsonArray("changes"), "demo-tool", "downgrade", "1.1", "1.0");
    assertThat(s.dpkgQuery("demo-tool")).isEqualTo("installed 1.0");
  }

  @Test
  @DisplayName("remove leaves config-files (remove), purge leaves nothing (purge)")
  void removeAndPurge() throws Exception {
    JobSandbox s = sandbox(JobSandbox.debWithConffile(dir, "demo-conf", "2.0"));
    s.root.install("demo-conf", "demo-tool");

    JsonObject removed = s.execute("remove", packages("demo-conf"));
    JsonObject purged = s.execute("remove", packages("demo-tool").put("purge", true));

    assertThat(removed.getString("outcome")).as(removed.encodePrettily()).isEqualTo("completed");
    assertThat(removed.getJsonArray("changes")).hasSize(1);
    assertChange(removed.getJsonArray("changes"), "demo-conf", "remove", "2.0", null);
    assertThat(s.dpkgQuery("demo-conf")).isEqualTo("config-files 2.0");
    assertThat(purged.getString("outcome")).as(purged.encodePrettily()).isEqualTo("completed");
    assertChange(purged.getJsonArray("changes"), "demo-tool", "purge", "1.1", null);
  }

  @Test
  @DisplayName("a lock held by another process: the job says who holds it, then fails PKG_MANAGER_LOCKED")
  void lockHeld() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    assumeTrue(Files.isExecutable(python), "python3 is needed to hold apt's fcntl lock");
    JobSandbox s = sandbox();
    Path lock = s.root.root().resolve("var/lib/dpkg/lock-frontend");
    CountDownLatch locked = new CountDownLatch(1);
    RunningProcess holder = JobSandbox.RUNNER.start(ProcessSpec.of(python.toString(), "-c",
            "import fcntl, sys, time\nf = open(sys.argv[1], 'a+')\nfcntl.lockf(f, fcntl.LOCK_EX)\n"
                + "print('locked', flush=True)\ntime.sleep(60)\n", lock.toString())
        .withListener((channel, line) -> {
          if (channel == OutputChannel.STDOUT && line.equals("locked")) {
            locked.countDown();
          }
        }));
    try {
      assertThat(locked.await(30, TimeUnit.SECONDS)).as("the holder took the lock").isTrue();
      JsonObject result = s.executeAsync("locked-job", "install", packages("demo-lib"),
          new JsonObject().put("lock_wait_seconds", 2)).await(60, TimeUnit.SECONDS);

      assertThat(result.getString("outcome")).isEqualTo("failed");
      assertThat(result.getString("error_code")).isEqualTo("PKG_MANAGER_LOCKED");
      assertThat(s.progress).anySatisfy(p -> {
        assertThat(p.getString("job_id")).isEqualTo("locked-job");
        assertThat(p.getString("message")).contains("lock held by process " + holder.pid());
      });
      assertThat(s.dpkgQuery("demo-lib")).isEqualTo("unknown");
    } finally {
      holder.cancel();
      holder.await();
    }
  }

  @Test
  @DisplayName("a failing postinst fails MAINTAINER_SCRIPT_FAILED; the database check then repairs it")
  void failingPostinstThenCheck() throws Exception {
    JobSandbox s = sandbox();
    JsonObject result = s.execute("install", packages("failer"));

    assertThat(result.getString("outcome")).isEqualTo("failed");
    assertThat(result.getString("error_code")).isEqualTo("MAINTAINER_SCRIPT_FAILED");
    assertThat(result.getInteger("exit_code")).isEqualTo(100);
    assertThat(result.getString("error")).isNotBlank();
    assertChange(result.getJsonArray("changes"), "failer", "install", null, "1.0");
    assertThat(s.dpkgQuery("failer")).isEqualTo("half-configured 1.0");

    Files.createFile(s.root.tmpDirectory().resolve("ok"));
    JsonObject check = s.request(Addresses.PACKAGES_CHECK_DATABASE, new JsonObject());
    JsonObject again = s.request(Addresses.PACKAGES_CHECK_DATABASE, new JsonObject());

    assertThat(check.getBoolean("interrupted")).as(check.encodePrettily()).isTrue();
    assertThat(check.getBoolean("repaired")).as(check.encodePrettily()).isTrue();
    assertThat(s.dpkgQuery("failer")).isEqualTo("installed 1.0");
    assertThat(again.getBoolean("interrupted")).as(again.encodePrettily()).isFalse();
  }

  @Test
  @DisplayName("a repair job configures what a failed postinst left half-configured")
  void repairJob() throws Exception {
    JobSandbox s = sandbox();
    assertThat(s.execute("install", packages("failer")).getString("error_code")).isEqualTo("MAINTAINER_SCRIPT_FAILED");
    Files.createFile(s.root.tmpDirectory().resolve("ok"));

    JsonObject repair = s.execute("repair", new JsonObject());

    assertThat(repair.getString("outcome")).as(repair.encodePrettily()).isEqualTo("completed");
    assertThat(s.dpkgQuery("failer")).isEqualTo("installed 1.0");
  }

  @Test
  @DisplayName("cancel of a running job: reads are answered meanwhile, a second job is refused, the group is gone, the database repaired")
  void cancelRunningJob() throws Exception {
    JobSandbox s = sandbox();
    Future<JsonObject> running = s.executeAsync("sleepy", "install", packages("sleeper"), new JsonObject());
    long sleepPid = awaitSleeper(s);

    long started = System.nanoTime();
    JsonObject listing = s.request(Addresses.PACKAGES_LIST, new JsonObject().put("status", "all"));
    assertThat(Duration(started)).as("a listing while the job runs").isLessThan(10_000);
    assertThat(listing.getInteger("total")).isPositive();
    JsonObject second = s.execute("install", packages("demo-lib"));
    assertThat(second.getString("outcome")).isEqualTo("failed");
    assertThat(second.getString("error")).contains("sleepy");
    assertThat(s.request(Addresses.PACKAGES_CANCEL, new JsonObject().put("job_id", "other")).getBoolean("cancelled")).isFalse();

    assertThat(s.request(Addresses.PACKAGES_CANCEL, new JsonObject().put("job_id", "sleepy")).getBoolean("cancelled")).isTrue();
    JsonObject result = running.await(60, TimeUnit.SECONDS);

    assertThat(result.getString("outcome")).as(result.encodePrettily()).isEqualTo("cancelled");
    assertThat(result.getString("error_code")).isEqualTo("CANCELLED");
    assertThat(JobSandbox.alive(sleepPid)).as("the postinst's sleep %d", sleepPid).isFalse();
    assertThat(result.getJsonArray("logs").stream().map(String::valueOf)).anyMatch(l -> l.contains("database check"));
    assertChange(result.getJsonArray("changes"), "sleeper", "install", null, "1.0");
    assertThat(s.dpkgQuery("sleeper")).isEqualTo("installed 1.0");
  }

  @Test
  @DisplayName("timeout: the job ends timeout/TIMEOUT, its group is gone and the database repaired")
  void timeout() throws Exception {
    JobSandbox s = sandbox();
    Future<JsonObject> running = s.executeAsync("slow", "install", packages("sleeper"),
        new JsonObject().put("timeout_seconds", 4));
    long sleepPid = awaitSleeper(s);

    JsonObject result = running.await(60, TimeUnit.SECONDS);

    assertThat(result.getString("outcome")).as(result.encodePrettily()).isEqualTo("timeout");
    assertThat(result.getString("error_code")).isEqualTo("TIMEOUT");
    assertThat(JobSandbox.alive(sleepPid)).isFalse();
    assertThat(result.getJsonArray("logs").stream().map(String::valueOf)).anyMatch(l -> l.contains("database check: repaired"));
    assertThat(s.dpkgQuery("sleeper")).isEqualTo("installed 1.0");
  }

  @Test
  @DisplayName("hold and unhold an installed package; an uninstalled one is PKG_NOT_FOUND")
  void hold() throws Exception {
    JobSandbox s = sandbox();
    s.root.install("demo-lib");

    JsonObject held = s.request(Addresses.PACKAGES_HOLD, new JsonObject().put("name", "demo-lib").put("hold", true));
    JsonObject again = s.request(Addresses.PACKAGES_HOLD, new JsonObject().put("name", "demo-lib").put("hold", true));
    JsonObject holds = s.request(Addresses.PACKAGES_HOLDS, new JsonObject());
    JsonObject released = s.request(Addresses.PACKAGES_HOLD, new JsonObject().put("name", "demo-lib").put("hold", false));

    assertThat(held).isEqualTo(new JsonObject().put("name", "demo-lib").put("held", true).put("changed", true));
    assertThat(again.getBoolean("changed")).isFalse();
    assertThat(holds.getJsonArray("holds").getJsonObject(0).getString("name")).isEqualTo("demo-lib");
    assertThat(released).isEqualTo(new JsonObject().put("name", "demo-lib").put("held", false).put("changed", true));
    ReplyException missing = org.assertj.core.api.Assertions.catchThrowableOfType(ReplyException.class,
        () -> s.request(Addresses.PACKAGES_HOLD, new JsonObject().put("name", "demo-tool").put("hold", true)));
    assertThat(ServiceFailure.codeOf(missing).name()).isEqualTo("PKG_NOT_FOUND");
  }

  @Test
  @DisplayName("a stale plan_id fails PLAN_STALE without running anything; cache_refresh completes")
  void planStaleAndCacheRefresh() throws Exception {
    JobSandbox s = sandbox();
    JsonObject stale = s.execute("install", packages("demo-lib").put("plan_id", "not-the-plan"));
    JsonObject refresh = s.execute("cache_refresh", new JsonObject());

    assertThat(stale.getString("outcome")).isEqualTo("failed");
    assertThat(stale.getString("error_code")).isEqualTo("PLAN_STALE");
    assertThat(s.dpkgQuery("demo-lib")).isEqualTo("unknown");
    assertThat(refresh.getString("outcome")).as(refresh.encodePrettily()).isEqualTo("completed");
    assertThat(refresh.getJsonArray("changes")).isEmpty();
  }

  private static long Duration(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  /** Waits until the sleeper's postinst runs and returns the pid of its sleep. */
  private static long awaitSleeper(JobSandbox s) throws Exception {
    Path pidFile = s.root.tmpDirectory().resolve("sleeper.pid");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (Files.exists(pidFile) && !Files.readString(pidFile).isBlank()) {
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        if (JobSandbox.alive(pid)) {
          return pid;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the sleeper's postinst never ran");
  }
}
