package io.linuxpatch.packages.backend.dnf.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.dnf.DnfTools;
import io.linuxpatch.packages.backend.dnf.HostRpmStateGuard;
import io.linuxpatch.packages.backend.dnf.sandbox.DnfSandbox;
import io.linuxpatch.packages.backend.dnf.sandbox.RpmSpec;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The installed list from one rpm -qa on a real sandbox, and the quoting that keeps odd texts in their field. */
@ExtendWith(HostRpmStateGuard.class)
class InstalledRpmQueryTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();
  static final String ODD_SUMMARY = "it's a \"quoted\"\tsummary with \\ and (none) and '\\'' inside";

  @TempDir
  static Path dir;
  static DnfSandbox sandbox;
  static ProcessResult rpm;

  @BeforeAll
  static void sandboxWithOddPackages() {
    DnfTools.assumeDnfSandboxTools();
    sandbox = DnfSandbox.create(dir, RUNNER);
    sandbox.addPackages(RpmSpec.of("demo-epoch", "1.0", "1", "an epoch").withEpoch(7),
        RpmSpec.of("demo-odd", "2.5~rc1^git3", "0.1.el9", ODD_SUMMARY));
    run(sandbox.dnf("-C", "-y", "install", "--", "demo-epoch", "demo-odd"));
    List<String> argv = new ArrayList<>(sandbox.rpm().argv());
    argv.addAll(InstalledRpmQuery.arguments());
    rpm = run(ProcessSpec.of(argv).withExtraEnv(sandbox.environment()));
  }

  @Test
  @DisplayName("one rpm -qa --queryformat gives every installed package, the same set rpm lists itself, with no problem")
  void sameSetAsRpm() {
    InstalledRpmQuery.Result result = InstalledRpmQuery.parse(rpm.stdout().text());
    List<String> rpmOwn = run(sandbox.rpm("-qa", "--qf", "%{NAME}-%{EPOCHNUM}:%{VERSION}-%{RELEASE}.%{ARCH}\\n"))
        .stdout().lines();

    assertThat(result.problems()).isEmpty();
    assertThat(result.packages()).extracting(p -> p.name() + "-" + p.evr().epochNumber() + ":" + p.version() + "-"
        + p.release() + "." + p.arch()).containsExactlyInAnyOrderElementsOf(rpmOwn);
    assertThat(result.packages()).hasSize(7);
  }

  @Test
  @DisplayName("every field of demo-tool: epoch none, size, summary, install time, source rpm, URL")
  void fields() {
    InstalledRpm tool = byName("demo-tool");

    assertThat(tool.epoch()).isNull();
    assertThat(tool.evr().toString()).isEqualTo("1.0-1");
    assertThat(tool.arch()).isEqualTo("noarch");
    assertThat(tool.installedSizeBytes()).isEqualTo(Long.parseLong(run(sandbox.rpm("-q", "--qf", "%{LONGSIZE}", "demo-tool"))
        .stdout().text().strip())).isPositive();
    assertThat(tool.summary()).isEqualTo("demo command-line tool");
    assertThat(tool.installTime()).isBetween(Instant.now().minus(Duration.ofHours(1)), Instant.now().plusSeconds(5));
    assertThat(tool.sourceRpm()).isEqualTo("demo-tool-1.0-1.src.rpm");
    assertThat(tool.url()).isEqualTo("https://example.invalid/demo-tool");
    assertThat(tool.nevra().toString()).isEqualTo("demo-tool-1.0-1.noarch");
    assertThat(byName("sandbox-sh").url()).isNull();
  }

  @Test
  @DisplayName("an epoch, a ~^ version and a summary with quotes, a tab, a backslash and the text (none) survive")
  void oddValues() {
    assertThat(byName("demo-epoch").epoch()).isEqualTo(7);
    assertThat(byName("demo-epoch").nevra().toString()).isEqualTo("demo-epoch-7:1.0-1.noarch");
    InstalledRpm odd = byName("demo-odd");
    assertThat(odd.version()).isEqualTo("2.5~rc1^git3");
    assertThat(odd.release()).isEqualTo("0.1.el9");
    assertThat(odd.summary()).isEqualTo(ODD_SUMMARY);
  }

  @Test
  @DisplayName("quoted newlines stay in their field, a (none) arch is null, and a bad record is reported while the rest is read")
  void handWrittenEdges() {
    String text = "'gpg-pubkey' (none) 'abc' 'def' (none) 0 1700000000 (none) (none) 'gpg(Some Key <k@x>)'\n"
        + "'multi' 3 '1' '2' 'x86_64' 10 1700000000 'multi-1-2.src.rpm' (none) 'first line\nsecond '\\''line'\\'''\n"
        + "'broken' (none) '1' '2' 'noarch' 10\n"
        + "'late' (none) '1' '2' 'noarch' 'ten' 1700000000 (none) (none) 'x'\n"
        + "'last' (none) '1' '2' 'noarch' 5 1700000000 (none) (none) '(none)'";

    InstalledRpmQuery.Result result = InstalledRpmQuery.parse(text);

    assertThat(result.packages()).extracting(InstalledRpm::name).containsExactly("gpg-pubkey", "multi", "last");
    assertThat(result.packages().get(0).arch()).isNull();
    assertThat(result.packages().get(1).summary()).isEqualTo("first line\nsecond 'line'");
    assertThat(result.packages().get(1).epoch()).isEqualTo(3);
    assertThat(result.packages().get(2).summary()).isEqualTo("(none)");
    assertThat(result.problems()).extracting(RecordProblem::record).containsExactly(3, 4);
    assertThat(InstalledRpmQuery.parse("'cut' (none) 'abc").problems()).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("quoted field"));
  }

  private static InstalledRpm byName(String name) {
    return InstalledRpmQuery.parse(rpm.stdout().text()).packages().stream().filter(p -> p.name().equals(name))
        .collect(Collectors.toList()).get(0);
  }

  private static ProcessResult run(ProcessSpec spec) {
    ProcessResult result = RUNNER.run(spec);
    assertThat(result.succeeded()).as("%s: %s", spec.argv(), result.stderr().text()).isTrue();
    return result;
  }
}
