package io.linuxpatch.packages.backend.dnf.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.packages.backend.dnf.DnfTools;
import io.linuxpatch.packages.backend.dnf.HostRpmStateGuard;
import io.linuxpatch.packages.backend.dnf.inventory.DnfStamps;
import io.linuxpatch.packages.backend.dnf.inventory.InstalledRpm;
import io.linuxpatch.packages.backend.dnf.inventory.InstalledRpmQuery;
import io.linuxpatch.packages.backend.dnf.sandbox.DnfSandbox;
import io.linuxpatch.packages.backend.dnf.sandbox.RpmSpec;
import io.linuxpatch.packages.backend.dnf.sandbox.RpmSpec.Relation;
import io.linuxpatch.packages.plan.Plan;
import io.linuxpatch.packages.plan.PlanAction;
import io.linuxpatch.packages.plan.PlanAction.Kind;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The --assumeno transaction table of real dnf 4.14 on a sandbox, for every kind of block, read into the shared
 * Plan; the from-versions come from the installed list, as the backend will join them.
 */
@ExtendWith(HostRpmStateGuard.class)
class DnfTransactionTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();
  static final String LONG_NAME = "demo-package-with-a-really-quite-long-name-for-wrapping";

  @TempDir
  static Path dir;
  static DnfSandbox sandbox;
  static Map<String, String> installed;
  static DnfStamps stampsBeforeSimulations;

  @BeforeAll
  static void sandboxInEveryState() throws Exception {
    DnfTools.assumeDnfSandboxTools();
    sandbox = DnfSandbox.create(dir, RUNNER);
    sandbox.addPackages(
        RpmSpec.of("demo-epoch", "1.0", "1", "epoch 7").withEpoch(7),
        RpmSpec.of("demo-epoch", "1.1", "1", "epoch 7").withEpoch(7),
        RpmSpec.of("demo-weak", "1.0", "1", "recommends demo-extra").with(Relation.RECOMMENDS, "demo-extra"),
        RpmSpec.of("demo-extra", "1.0", "1", "a weak dependency"),
        RpmSpec.of("demo-replacement", "1.0", "1", "obsoletes demo-legacy")
            .with(Relation.OBSOLETES, "demo-legacy < 1.0").with(Relation.PROVIDES, "demo-legacy = 1.0"),
        RpmSpec.of("demo-broken", "1.0", "1", "fine"),
        RpmSpec.of("demo-broken", "1.1", "1", "needs what nobody has").with(Relation.REQUIRES, "demo-nonexistent"),
        RpmSpec.of("demo-clash", "1.0", "1", "fine"),
        RpmSpec.of("demo-clash", "1.1", "1", "conflicts with demo-base").with(Relation.CONFLICTS, "demo-base"),
        RpmSpec.of("demo-holder", "1.0", "1", "requires demo-base").with(Relation.REQUIRES, "demo-base"),
        RpmSpec.of("demo-user", "1.0", "1", "requires demo-dep").with(Relation.REQUIRES, "demo-dep"),
        RpmSpec.of("demo-dep", "1.0", "1", "a dependency"),
        RpmSpec.of(LONG_NAME, "1.0.0.20260101git0123456789abcdef", "1.el9_3.fc40", "wraps on a narrow terminal"));
    run(sandbox.dnf("-C", "-y", "install", "--", "demo-epoch-7:1.1-1", "demo-broken-1.0-1", "demo-clash-1.0-1",
        "demo-holder", "demo-user"), 0);
    List<String> query = new ArrayList<>(sandbox.rpm().argv());
    query.addAll(InstalledRpmQuery.arguments());
    installed = new HashMap<>();
    for (InstalledRpm p : InstalledRpmQuery.parse(run(ProcessSpec.of(query).withExtraEnv(sandbox.environment()), 0)
        .stdout().text()).packages()) {
      installed.put(p.name() + "." + p.arch(), p.evr().toString());
    }
    stampsBeforeSimulations = DnfStamps.installed(sandbox.root());
  }

  @AfterAll
  static void simulationsChangedNothing() throws Exception {
    if (sandbox != null) {
      assertThat(DnfStamps.installed(sandbox.root())).as("rpm database after the --assumeno runs")
          .isEqualTo(stampsBeforeSimulations);
    }
  }

  @Test
  @DisplayName("install demo-app: Installing + Installing dependencies → two installs; all local, so nothing to download")
  void installWithDependency() {
    DnfTransaction t = simulate("install", "--", "demo-app");

    assertThat(t.rows()).extracting(r -> r.section() + " " + r.name() + " " + r.arch() + " " + r.evr() + " " + r.repository())
        .containsExactly("INSTALL demo-app noarch 2.0-1 demo", "INSTALL_DEPENDENCY demo-lib noarch 2.0-1 demo");
    assertThat(t.rows().get(0).size()).isEqualTo("6.1 k");
    assertThat(actions(t.toPlan(DnfTransactionTest::installedVersion))).containsExactly("INSTALL demo-app null 2.0-1", "INSTALL demo-lib null 2.0-1");
    assertThat(t.downloadSizeBytes()).isZero();
    assertThat(t.problems()).isEmpty();
  }

  @Test
  @DisplayName("upgrade: upgrades with from-versions, an obsoleting install whose replaced package is removed, skipped ones kept back")
  void upgradeAll() {
    DnfTransaction t = simulate("upgrade");
    Plan plan = t.toPlan(DnfTransactionTest::installedVersion);

    assertThat(actions(plan)).containsExactly("INSTALL demo-replacement null 1.0-1", "REMOVE demo-legacy 0.9-1 null",
        "UPGRADE demo-ssl 1.0-1 1.1-1", "UPGRADE demo-tool 1.0-1 1.1-1");
    assertThat(t.rows(TransactionSection.INSTALL).get(0).replacing()).singleElement()
        .satisfies(n -> assertThat(n.toString()).isEqualTo("demo-legacy-0.9-1.noarch"));
    assertThat(plan.keptBack()).containsExactly("demo-clash", "demo-broken");
    assertThat(t.rows(TransactionSection.SKIPPED_CONFLICT, TransactionSection.SKIPPED_BROKEN))
        .extracting(TransactionRow::evr).containsExactly("1.1-1", "1.1-1");
    assertThat(plan.actions(Kind.UPGRADE)).allSatisfy(a -> assertThat(a.suite()).isEqualTo("demo"));
    assertThat(t.problems()).isEmpty();
  }

  @Test
  @DisplayName("--allowerasing install demo-modern: the conflicting demo-legacy under 'Removing dependent packages'")
  void conflictWithAllowErasing() {
    DnfTransaction t = simulate("--allowerasing", "install", "--", "demo-modern");

    assertThat(t.rows(TransactionSection.REMOVE_DEPENDENT)).extracting(TransactionRow::repository).containsExactly("@demo");
    assertThat(actions(t.toPlan(DnfTransactionTest::installedVersion))).containsExactly("INSTALL demo-modern null 1.0-1",
        "REMOVE demo-legacy 0.9-1 null");
  }

  @Test
  @DisplayName("remove demo-base takes demo-holder with it; remove demo-user takes the unused demo-dep")
  void removals() {
    DnfTransaction dependent = simulate("remove", "--", "demo-base");
    DnfTransaction unused = simulate("remove", "--", "demo-user");

    assertThat(dependent.rows()).extracting(r -> r.section() + " " + r.name())
        .containsExactly("REMOVE demo-base", "REMOVE_DEPENDENT demo-holder");
    assertThat(actions(dependent.toPlan(DnfTransactionTest::installedVersion))).containsExactly("REMOVE demo-base 1.0-1 null",
        "REMOVE demo-holder 1.0-1 null");
    assertThat(unused.rows()).extracting(r -> r.section() + " " + r.name())
        .containsExactly("REMOVE demo-user", "REMOVE_UNUSED demo-dep");
    assertThat(dependent.downloadSizeBytes()).isNull();
  }

  @Test
  @DisplayName("reinstall keeps the version; downgrade of an epoch package goes from 7:1.1-1 to 7:1.0-1")
  void reinstallAndDowngrade() {
    assertThat(actions(simulate("reinstall", "--", "demo-base").toPlan(DnfTransactionTest::installedVersion)))
        .containsExactly("REINSTALL demo-base 1.0-1 1.0-1");
    DnfTransaction down = simulate("downgrade", "--", "demo-epoch");
    assertThat(down.rows(TransactionSection.DOWNGRADE)).extracting(TransactionRow::evr).containsExactly("7:1.0-1");
    assertThat(actions(down.toPlan(DnfTransactionTest::installedVersion))).containsExactly("DOWNGRADE demo-epoch 7:1.1-1 7:1.0-1");
  }

  @Test
  @DisplayName("a Recommends is listed under 'Installing weak dependencies' and planned as an install")
  void weakDependency() {
    DnfTransaction t = simulate("install", "--", "demo-weak");

    assertThat(t.rows()).extracting(r -> r.section() + " " + r.name())
        .containsExactly("INSTALL demo-weak", "INSTALL_WEAK_DEPENDENCY demo-extra");
    assertThat(t.toPlan(DnfTransactionTest::installedVersion).actions()).extracting(PlanAction::kind).containsOnly(Kind.INSTALL);
  }

  @Test
  @DisplayName("rows dnf wraps on a 70-column terminal read the same as the unwrapped rows it prints on a pipe")
  void wrappedRows() {
    Path script = Path.of("/usr/bin/script");
    assumeTrue(Files.isExecutable(script), "util-linux script is needed to give dnf a terminal");
    List<String> args = List.of("-C", "--assumeno", "install", "--", LONG_NAME, "demo-replacement");
    String command = "stty cols 70; " + sandbox.dnf(args).argv().stream().map(a -> "'" + a + "'")
        .collect(Collectors.joining(" "));
    ProcessResult tty = RUNNER.run(ProcessSpec.of(script.toString(), "-qec", command, "/dev/null")
        .withExtraEnv(sandbox.environment()));

    assertThat(tty.stdout().text()).contains(" " + LONG_NAME + "\r\n     noarch ");
    DnfTransaction wrapped = DnfTransaction.parse(tty.stdout().text());
    DnfTransaction piped = simulate("install", "--", LONG_NAME, "demo-replacement");
    assertThat(wrapped.problems()).isEmpty();
    assertThat(wrapped.rows()).isEqualTo(piped.rows());
    assertThat(piped.rows()).extracting(TransactionRow::evr)
        .containsExactly("1.0.0.20260101git0123456789abcdef-1.el9_3.fc40", "1.0-1");
  }

  @Test
  @DisplayName("nothing to do is a complete, empty simulation; a conflict without --allowerasing is not a simulation")
  void completeness() {
    ProcessResult nothing = RUNNER.run(sandbox.dnf("-C", "--assumeno", "install", "--", "demo-base"));
    ProcessResult conflict = RUNNER.run(sandbox.dnf("-C", "--assumeno", "install", "--", "demo-modern"));
    ProcessResult plan = RUNNER.run(sandbox.dnf("-C", "--assumeno", "install", "--", "demo-app"));

    assertThat(DnfTransaction.isCompleteSimulation(nothing.exitCode(), nothing.stdout().text(), nothing.stderr().text()))
        .isTrue();
    assertThat(DnfTransaction.parse(nothing.stdout().text()).isEmpty()).isTrue();
    assertThat(DnfTransaction.isCompleteSimulation(conflict.exitCode(), conflict.stdout().text(),
        conflict.stderr().text())).isFalse();
    assertThat(DnfTransaction.isCompleteSimulation(plan.exitCode(), plan.stdout().text(), plan.stderr().text())).isTrue();
  }

  @Test
  @DisplayName("module blocks are kept as other changes, a short row is a problem, sizes read as dnf's powers of 1024")
  void handWritten() {
    String table = """
        Dependencies resolved.
        ================================================================================
         Package        Architecture   Version        Repository                   Size
        ================================================================================
        Installing:
         x              noarch         1-1            r                           1.9 M
        Upgrading:
         short          noarch
        Enabling module streams:
         nodejs                        18

        Transaction Summary
        ================================================================================
        Install  1 Package

        Total download size: 1.9 M
        """;

    DnfTransaction t = DnfTransaction.parse(table);

    assertThat(t.rows()).extracting(TransactionRow::name).containsExactly("x");
    assertThat(t.otherChanges()).containsExactly("Enabling module streams: nodejs 18");
    assertThat(t.problems()).singleElement().asString().contains("short noarch");
    assertThat(t.downloadSizeBytes()).isEqualTo(Math.round(1.9 * 1024 * 1024));
    assertThat(DnfTransaction.sizeBytes("26 ")).isEqualTo(26);
    assertThat(DnfTransaction.sizeBytes("6.1 k")).isEqualTo(Math.round(6.1 * 1024));
    assertThat(DnfTransaction.sizeBytes("?")).isNull();
  }

  private static DnfTransaction simulate(String... args) {
    List<String> argv = new ArrayList<>(List.of("-C", "--assumeno"));
    argv.addAll(List.of(args));
    ProcessResult result = RUNNER.run(sandbox.dnf(argv));
    assertThat(DnfTransaction.isCompleteSimulation(result.exitCode(), result.stdout().text(), result.stderr().text()))
        .as("%s: %s", argv, result.stderr().text()).isTrue();
    return DnfTransaction.parse(result.stdout().text());
  }

  private static String installedVersion(String name, String arch) {
    return installed.get(name + "." + arch);
  }

  private static List<String> actions(Plan plan) {
    return plan.actions().stream().map(a -> a.kind() + " " + a.name() + " " + a.fromVersion() + " " + a.toVersion())
        .toList();
  }

  private static ProcessResult run(ProcessSpec spec, int expectedExit) {
    ProcessResult result = RUNNER.run(spec);
    assertThat(result.exitCode()).as("%s: %s", spec.argv(), result.stderr().text()).isEqualTo(expectedExit);
    return result;
  }
}
