package io.linuxpatch.packages.backend.pacman.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.pacman.HostPacmanStateGuard;
import io.linuxpatch.packages.backend.pacman.PacmanAssumptions;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanDemoPackages;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanPackageBuilder;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanPackageSpec;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanRepository;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sync databases written by the real repo-add, in every compression it offers, decoded in Java. */
@ExtendWith(HostPacmanStateGuard.class)
class SyncDatabaseReaderTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();

  @TempDir
  static Path dir;
  static List<Path> packageFiles = new ArrayList<>();
  static List<PacmanPackageSpec> specs;

  @BeforeAll
  static void buildPackages() {
    PacmanAssumptions.assumeSandboxPossible();
    specs = new ArrayList<>(PacmanDemoPackages.initialRelease());
    specs.add(PacmanPackageSpec.of("demo-rich", "2:3.4.5-6", "a package with every relation")
        .withUrl("https://example.invalid/rich")
        .withDepends("demo-lib>=2.0", "sh")
        .withConflicts("demo-poor<1.0")
        .withProvides("rich=3.4.5", "librich.so=3-64")
        .withReplaces("demo-poor")
        .withTextFile("usr/share/rich/data", "x".repeat(5000)));
    PacmanPackageBuilder builder = new PacmanPackageBuilder(dir.resolve("build"), RUNNER);
    for (PacmanPackageSpec spec : specs) {
      packageFiles.add(builder.build(spec, dir.resolve("packages")));
    }
  }

  @ParameterizedTest(name = "repo-add {0}")
  @ValueSource(strings = {"demo.db.tar.gz", "demo.db.tar.zst", "demo.db.tar.xz", "demo.db.tar.bz2", "demo.db.tar"})
  @DisplayName("Every compression repo-add writes decodes to the same packages with their fields")
  void everyCompression(String fileName) throws Exception {
    Path database = repoAdd(fileName);

    PacmanDatabase demo = new SyncDatabaseReader().read(database, "demo");

    assertThat(demo.problems()).isEmpty();
    assertThat(demo.name()).isEqualTo("demo");
    assertThat(demo.packages()).extracting(p -> p.name() + " " + p.version()).containsExactly(
        "demo-app 2.0-1", "demo-base 1.0-1", "demo-legacy 0.9-1", "demo-lib 2.0-1", "demo-modern 1.0-1",
        "demo-rich 2:3.4.5-6", "demo-ssl 1.0-1", "demo-tool 1.0-1");
    PacmanPackage rich = demo.find("demo-rich").orElseThrow();
    assertThat(rich.description()).isEqualTo("a package with every relation");
    assertThat(rich.url()).contains("https://example.invalid/rich");
    assertThat(rich.architecture()).isEqualTo("any");
    assertThat(rich.depends()).containsExactly("demo-lib>=2.0", "sh");
    assertThat(rich.conflicts()).containsExactly("demo-poor<1.0");
    assertThat(rich.provides()).containsExactly("rich=3.4.5", "librich.so=3-64");
    assertThat(rich.replaces()).containsExactly("demo-poor");
    assertThat(rich.installedSizeBytes()).hasValue(5000);
    assertThat(rich.downloadSizeBytes()).hasValue(Files.size(dir.resolve("packages/demo-rich-2:3.4.5-6-any.pkg.tar.zst")));
    assertThat(demo.find("demo-modern").orElseThrow().conflicts()).containsExactly("demo-legacy");
  }

  @ParameterizedTest(name = "{0} cut in half")
  @ValueSource(strings = {"cut.db.tar.gz", "cut.db.tar.zst", "cut.db.tar"})
  @DisplayName("A truncated download keeps the packages read before the cut and says where it stopped")
  void truncated(String fileName) throws Exception {
    Path whole = repoAdd(fileName);
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = dir.resolve("cut.db");
    // inside an entry (an uncompressed tar is mostly zero padding, its second entry's data is at 2560-2936): a
    // plain tar cut exactly between two entries cannot be told from its end
    Files.write(cut, Arrays.copyOf(bytes, Math.min(bytes.length / 2 + 100, 2700)));

    PacmanDatabase read = new SyncDatabaseReader().read(cut, "cut");

    assertThat(read.size()).isLessThan(specs.size());
    assertThat(read.problems()).singleElement().satisfies(p -> {
      assertThat(p.source()).isEqualTo("sync/cut.db");
      assertThat(p.message()).contains("cannot be read to the end").contains(read.size() + " packages were read");
    });
  }

  @Test
  @DisplayName("A file that is no database (or empty) is an empty database with a problem, never an exception")
  void notADatabase() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.db"), "<html>captive portal</html>");
    Path empty = Files.write(dir.resolve("empty.db"), new byte[0]);

    PacmanDatabase fromJunk = new SyncDatabaseReader().read(junk, "junk");
    PacmanDatabase fromEmpty = new SyncDatabaseReader().read(empty, "empty");

    assertThat(fromJunk.size()).isZero();
    assertThat(fromJunk.problems()).extracting(DatabaseProblem::message)
        .containsExactly("not a tar archive in a compression this agent reads (gzip, zstd, xz, bzip2 or none)");
    assertThat(fromEmpty.problems()).extracting(DatabaseProblem::message).containsExactly("empty file");
  }

  private static Path repoAdd(String fileName) throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo-" + fileName));
    List<String> argv = new ArrayList<>(List.of(PacmanRepository.REPO_ADD.toString(), "-q",
        repo.resolve(fileName).toString()));
    packageFiles.forEach(p -> argv.add(p.toString()));
    ProcessResult result = RUNNER.run(ProcessSpec.of(argv));
    assertThat(result.succeeded()).as(result.stderr().text()).isTrue();
    return repo.resolve(fileName);
  }
}
