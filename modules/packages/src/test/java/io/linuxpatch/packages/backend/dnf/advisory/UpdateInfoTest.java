package io.linuxpatch.packages.backend.dnf.advisory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linuxpatch.contract.packages.Severity;
import io.linuxpatch.packages.backend.dnf.DnfTools;
import io.linuxpatch.packages.backend.dnf.HostRpmStateGuard;
import io.linuxpatch.packages.backend.dnf.sandbox.DnfDemoPackages;
import io.linuxpatch.packages.backend.dnf.sandbox.DnfSandbox;
import io.linuxpatch.packages.backend.dnf.sandbox.RpmSpec;
import io.linuxpatch.packages.backend.dnf.sandbox.RpmSpec.Relation;
import io.linuxpatch.packages.backend.dnf.sandbox.UpdateAdvisory;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** dnf updateinfo and check-update on a sandbox with security, bugfix and severity-less advisories. */
@ExtendWith(HostRpmStateGuard.class)
class UpdateInfoTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();
  static final RpmSpec EPOCH_NEW = RpmSpec.of("demo-epoch", "1.1", "1", "epoch 7").withEpoch(7);
  static final RpmSpec TOOL_NEW = RpmSpec.of("demo-tool", "1.1", "1", "demo command-line tool");

  @TempDir
  static Path dir;
  static DnfSandbox sandbox;

  @BeforeAll
  static void sandboxWithAdvisories() {
    DnfTools.assumeDnfSandboxTools();
    sandbox = DnfSandbox.create(dir, RUNNER);
    sandbox.addPackages(RpmSpec.of("demo-epoch", "1.0", "1", "epoch 7").withEpoch(7), EPOCH_NEW,
        RpmSpec.of("demo-replacement", "1.0", "1", "obsoletes demo-legacy")
            .with(Relation.OBSOLETES, "demo-legacy < 1.0").with(Relation.PROVIDES, "demo-legacy = 1.0"));
    run(sandbox.dnf("-C", "-y", "install", "--", "demo-epoch-7:1.0-1"), 0);
    List<UpdateAdvisory> advisories = new ArrayList<>(DnfDemoPackages.advisories());
    advisories.add(new UpdateAdvisory("DEMO-2026:0002", "bugfix", "Moderate", "demo-tool bug fix",
        "2026-02-01 00:00:00", "Fixes a bug.", List.of(), List.of(TOOL_NEW)));
    advisories.add(new UpdateAdvisory("DEMO-2026:0003", "security", "Critical", "Critical: demo-epoch",
        "2026-03-01 00:00:00", "Two CVEs.", List.of("CVE-2026-1111", "CVE-2026-2222"), List.of(EPOCH_NEW)));
    advisories.add(new UpdateAdvisory("DEMO-2026:0004", "security", null, "demo-tool hardening",
        "2026-04-01 00:00:00", "No severity given.", List.of("CVE-2026-3333"), List.of(TOOL_NEW)));
    sandbox.publishAdvisories(advisories);
  }

  @Test
  @DisplayName("list and list --with-cve join into advisories with type, mapped severity, CVE ids and package NEVRAs")
  void joinedAdvisories() {
    List<DnfAdvisory> advisories = DnfAdvisory.join(lines("updateinfo", "list", "--updates"),
        lines("updateinfo", "list", "--updates", "--with-cve"));

    assertThat(advisories).extracting(a -> a.id() + " " + a.type() + " " + a.dnfSeverity() + " " + a.severity()
        + " " + a.cveIds() + " " + a.packages()).containsExactlyInAnyOrder(
        "DEMO-2026:0001 security Important HIGH [CVE-2026-0001] [demo-ssl-1.1-1.noarch]",
        "DEMO-2026:0002 bugfix null UNKNOWN [] [demo-tool-1.1-1.noarch]",
        "DEMO-2026:0003 security Critical CRITICAL [CVE-2026-1111, CVE-2026-2222] [demo-epoch-7:1.1-1.noarch]",
        "DEMO-2026:0004 security Unknown UNKNOWN [CVE-2026-3333] [demo-tool-1.1-1.noarch]");
    assertThat(advisories).filteredOn(DnfAdvisory::security).hasSize(3);
  }

  @Test
  @DisplayName("with -v (debug lines and the update date) the join gives the same advisories")
  void verboseListings() {
    List<UpdateInfoLine> ids = lines("-v", "updateinfo", "list", "--updates");

    assertThat(ids).extracting(UpdateInfoLine::updated).contains("2026-01-10 00:00:00", "2026-03-01 00:00:00");
    assertThat(DnfAdvisory.join(ids, lines("-v", "updateinfo", "list", "--updates", "--with-cve")))
        .isEqualTo(DnfAdvisory.join(lines("updateinfo", "list", "--updates"),
            lines("updateinfo", "list", "--updates", "--with-cve")));
  }

  @Test
  @DisplayName("--all marks installed versions with 'i'; the installed demo-epoch 7:1.0-1 has no advisory, so none is marked")
  void allListing() {
    List<UpdateInfoLine> all = lines("updateinfo", "list", "--all");

    assertThat(all).extracting(UpdateInfoLine::installed).containsOnly(false);
    assertThat(all).extracting(UpdateInfoLine::id).contains("DEMO-2026:0001", "DEMO-2026:0003");
  }

  @Test
  @DisplayName("check-update exits 100 with the updates (epoch shown) and the obsoleting package; 0 and nothing for demo-base")
  void checkUpdate() {
    ProcessResult some = RUNNER.run(sandbox.dnf("-C", "check-update"));
    ProcessResult none = RUNNER.run(sandbox.dnf("-C", "check-update", "--", "demo-base"));

    CheckUpdate updates = CheckUpdate.parse(some.exitCode(), some.stdout().text());
    assertThat(updates.updatesAvailable()).isTrue();
    assertThat(updates.updates()).extracting(u -> u.name() + "." + u.arch() + " " + u.evr() + " " + u.repository())
        .containsExactlyInAnyOrder("demo-ssl.noarch 1.1-1 demo", "demo-tool.noarch 1.1-1 demo",
            "demo-epoch.noarch 7:1.1-1 demo");
    assertThat(updates.obsoletes()).singleElement().satisfies(o -> {
      assertThat(o.obsoleting().name()).isEqualTo("demo-replacement");
      assertThat(o.obsoleted()).isEqualTo(new CheckUpdate.Update("demo-legacy", "noarch", "0.9-1", "@demo"));
    });
    CheckUpdate nothing = CheckUpdate.parse(none.exitCode(), none.stdout().text());
    assertThat(nothing.updatesAvailable()).isFalse();
    assertThat(nothing.updates()).isEmpty();
    assertThatThrownBy(() -> CheckUpdate.parse(1, "")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a check-update line wrapped after the name is joined back")
  void wrappedCheckUpdateLine() {
    CheckUpdate parsed = CheckUpdate.parse(100, "\ndemo-package-with-a-long-name.noarch\n         1.0-1     demo\n");

    assertThat(parsed.updates()).containsExactly(
        new CheckUpdate.Update("demo-package-with-a-long-name", "noarch", "1.0-1", "demo"));
  }

  @Test
  @DisplayName("dnf's severity words map to the API's: Critical/Important/Moderate/Low/None → critical/high/medium/low/unknown")
  void severityMapping() {
    assertThat(List.of("Critical", "Important", "Moderate", "Low", "None", "Unknown").stream()
        .map(DnfAdvisory::severityOf).toList())
        .containsExactly(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.UNKNOWN, Severity.UNKNOWN);
    assertThat(DnfAdvisory.severityOf(null)).isEqualTo(Severity.UNKNOWN);
  }

  private static List<UpdateInfoLine> lines(String... args) {
    List<String> argv = new ArrayList<>(List.of("-C", "-q"));
    argv.addAll(List.of(args));
    return UpdateInfoLine.parse(run(sandbox.dnf(argv), 0).stdout().text());
  }

  private static ProcessResult run(ProcessSpec spec, int expectedExit) {
    ProcessResult result = RUNNER.run(spec);
    assertThat(result.exitCode()).as("%s: %s", spec.argv(), result.stderr().text()).isEqualTo(expectedExit);
    return result;
  }
}
