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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Available versions from one cache-only dnf repoquery, read while dnf writes them. */
@ExtendWith(HostRpmStateGuard.class)
class AvailableRpmQueryTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();

  @TempDir
  static Path dir;
  static DnfSandbox sandbox;
  static final List<AvailableRpm> streamed = Collections.synchronizedList(new ArrayList<>());
  static final List<RecordProblem> problems = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void streamFromSandbox() {
    DnfTools.assumeDnfSandboxTools();
    sandbox = DnfSandbox.create(dir, RUNNER);
    sandbox.addPackages(RpmSpec.of("demo-epoch", "1.0", "1", "an epoch").withEpoch(7),
        RpmSpec.of("demo-quote", "1.0", "1", "a summary with | pipes, 'quotes' and \"more\""));
    AvailableRpmQuery.Reader reader = AvailableRpmQuery.reader(streamed::add, problems::add);
    ProcessResult result = RUNNER.run(sandbox.dnf(AvailableRpmQuery.arguments()).withListener(reader));
    reader.finish();
    assertThat(result.succeeded()).as(result.stderr().text()).isTrue();
  }

  @Test
  @DisplayName("the streamed records are exactly the versions dnf lists itself, duplicates (1.0-1 and 1.1-1) included")
  void sameVersionsAsDnf() {
    List<String> dnfOwn = run(sandbox.dnf("-C", "-q", "repoquery", "--available", "--showduplicates",
        "--qf", "%{name}-%{epoch}:%{version}-%{release}.%{arch}")).stdout().lines();

    assertThat(problems).isEmpty();
    assertThat(streamed).extracting(p -> p.name() + "-" + p.epoch() + ":" + p.version() + "-" + p.release() + "." + p.arch())
        .containsExactlyInAnyOrderElementsOf(dnfOwn);
    assertThat(streamed).extracting(p -> p.nevra().toString())
        .contains("demo-tool-1.0-1.noarch", "demo-tool-1.1-1.noarch", "demo-ssl-1.1-1.noarch", "demo-epoch-7:1.0-1.noarch");
  }

  @Test
  @DisplayName("repository, sizes, source rpm, URL (null when absent) and a summary with separators-like text")
  void fields() {
    AvailableRpm tool = find("demo-tool", "1.1");
    assertThat(tool.repository()).isEqualTo("demo");
    assertThat(tool.downloadSizeBytes()).isPositive();
    assertThat(tool.installedSizeBytes()).isPositive();
    assertThat(tool.sourceRpm()).isEqualTo("demo-tool-1.1-1.src.rpm");
    assertThat(tool.url()).isEqualTo("https://example.invalid/demo-tool");
    assertThat(tool.summary()).isEqualTo("demo command-line tool");
    assertThat(find("sandbox-sh", "1").url()).isNull();
    assertThat(find("demo-epoch", "1.0").evr().toString()).isEqualTo("7:1.0-1");
    assertThat(find("demo-quote", "1.0").summary()).isEqualTo("a summary with | pipes, 'quotes' and \"more\"");
  }

  @Test
  @DisplayName("a summary spanning lines is joined back; a record with the wrong field count is reported, the rest read")
  void handWrittenEdges() {
    String f = String.valueOf(AvailableRpmQuery.FIELD);
    String e = String.valueOf(AvailableRpmQuery.END);
    String text = String.join(f, "multi", "0", "1", "2", "noarch", "r", "10", "5", "(none)", "(none)", "line one") + "\n"
        + "line two" + e + "\n"
        + String.join(f, "short", "0", "1") + e + "\n"
        + String.join(f, "ok", "3", "1", "2", "x86_64", "r", "10", "5", "ok-1-2.src.rpm", "https://x", "fine") + e + "\n"
        + String.join(f, "cut", "0");

    AvailableRpmQuery.Result result = AvailableRpmQuery.parse(text);

    assertThat(result.packages()).extracting(AvailableRpm::name).containsExactly("multi", "ok");
    assertThat(result.packages().get(0).summary()).isEqualTo("line one\nline two");
    assertThat(result.packages().get(0).sourceRpm()).isNull();
    assertThat(result.packages().get(1).evr().toString()).isEqualTo("3:1-2");
    assertThat(result.problems()).extracting(RecordProblem::record).containsExactly(2, 4);
  }

  private static AvailableRpm find(String name, String version) {
    return streamed.stream().filter(p -> p.name().equals(name) && p.version().equals(version)).findFirst().orElseThrow();
  }

  private static ProcessResult run(ProcessSpec spec) {
    ProcessResult result = RUNNER.run(spec);
    assertThat(result.succeeded()).as("%s: %s", spec.argv(), result.stderr().text()).isTrue();
    return result;
  }
}
