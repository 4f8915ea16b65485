package io.linuxpatch.packages.backend.apt.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compressed lists ({@code Acquire::GzipIndexes}) against the real compressors: an index compressed by
 * {@code /usr/bin/gzip} or {@code /usr/bin/lz4} must read exactly like its plain original, and this host's
 * own {@code *_Packages.lz4} lists like {@code lz4 -dc} prints them.
 */
@DisplayName("apt's compressed lists (.gz, .lz4) read exactly like their uncompressed original")
class CompressedAptListsTest {

  private static final Path GZIP = Path.of("/usr/bin/gzip");
  private static final Path LZ4 = Path.of("/usr/bin/lz4");
  private static final Path HOST_LISTS = Path.of("/var/lib/apt/lists");
  private static final String INDEX = "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages";

  /**
   * The fixture's stanzas (one broken) plus a few thousand similar ones: several hundred KB, so that lz4's
   * 64 KiB blocks are many and linked blocks really copy from the block before.
   */
  static String largePackages() {
    StringBuilder text = new StringBuilder(AptListsParserTest.MAIN_PACKAGES).append('\n');
    for (int i = 0; i < 4000; i++) {
      text.append("Package: generated-").append(i).append("\nVersion: 1.").append(i % 97).append("-").append(i)
          .append("\nArchitecture: ").append(i % 3 == 0 ? "all" : "amd64").append("\nInstalled-Size: ").append(i)
          .append("\nDescription: generated package number ").append(i).append(" for the compression tests\n")
          .append(" A longer description line that repeats, as Debian's do.\n\n");
    }
    return text.toString();
  }

  @Test
  @DisplayName("a Packages file compressed by /usr/bin/gzip gives the same packages and problems as the plain file")
  void gzipMatchesPlain(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(GZIP), "/usr/bin/gzip is not installed");
    Path plain = listsWith(dir.resolve("plain"), largePackages());
    Path compressed = listsWith(dir.resolve("gz"), largePackages());
    compress(compressed.resolve(INDEX), ".gz", List.of(GZIP.toString(), "-9", "-c"));

    assertSameAsPlain(plain, compressed, ".gz");
  }

  @ParameterizedTest(name = "lz4 {0}")
  @ValueSource(strings = {"-BD -B4", "", "-BX --content-size", "-9 -BD --no-frame-crc", "-1 -B5"})
  @DisplayName("a Packages file compressed by /usr/bin/lz4 (linked or independent blocks, any checksums) reads as plain")
  void lz4MatchesPlain(String options, @TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(LZ4), "/usr/bin/lz4 is not installed (apt-get install lz4)");
    Path plain = listsWith(dir.resolve("plain"), largePackages());
    Path compressed = listsWith(dir.resolve("lz4"), largePackages());
    List<String> command = new ArrayList<>(List.of(LZ4.toString(), "-q", "-c"));
    if (!options.isEmpty()) {
      command.addAll(List.of(options.split(" ")));
    }
    compress(compressed.resolve(INDEX), ".lz4", command);

    assertSameAsPlain(plain, compressed, ".lz4");
  }

  @Test
  @DisplayName("every *_Packages.lz4 of this host decodes to what lz4 -dc prints, one package per Package: line")
  void hostListsParity(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(LZ4), "/usr/bin/lz4 is not installed (apt-get install lz4)");
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(HOST_LISTS, "*_Packages.lz4")) {
      stream.forEach(files::add);
    } catch (IOException e) {
      // no lists directory: the assumption below says so
    }
    assumeTrue(!files.isEmpty(), "no *_Packages.lz4 in " + HOST_LISTS + " (apt stores lz4 only with GzipIndexes)");
    for (Path file : files) {
      Path expectedFile = dir.resolve(file.getFileName() + ".dc");
      run(List.of(LZ4.toString(), "-q", "-dc", file.toString()), expectedFile);
      byte[] expected = Files.readAllBytes(expectedFile);
      byte[] decoded = decode(Files.readAllBytes(file), AptListsParser.MAX_INDEX_BYTES);
      assertThat(Arrays.mismatch(decoded, expected)).as("first differing byte of %s", file).isEqualTo(-1);

      // The host's file, read in place through a link: the test never writes to the host's lists.
      Path lists = Files.createDirectories(dir.resolve("lists-" + file.getFileName()));
      Files.createSymbolicLink(lists.resolve(file.getFileName()), file);
      AptLists read = new AptListsParser().parse(lists);

      int parsed = read.size();
      assertThat(parsed).as("packages parsed from %s", file).isEqualTo(packageLines(expected));
      assertThat(read.problems()).extracting(ParseProblem::message)
          .containsExactly("no Release or InRelease file found for this index");
    }
  }

  @Test
  @DisplayName("when apt left both a plain and a compressed copy of one index, its versions are listed once")
  void oneCopyPerIndex(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(GZIP), "/usr/bin/gzip is not installed");
    Path lists = listsWith(dir, AptListsParserTest.SECURITY_PACKAGES);
    compress(lists.resolve(INDEX), ".gz", List.of(GZIP.toString(), "-c"));
    Files.writeString(lists.resolve(INDEX), AptListsParserTest.SECURITY_PACKAGES);

    assertThat(new AptListsParser().parse(lists).versions("curl")).hasSize(2);
  }

  @Test
  @DisplayName("a corrupt .gz or .lz4 index is one problem naming the file, the other lists still read")
  void corruptIndexIsAProblem(@TempDir Path dir) throws Exception {
    Path lists = listsWith(dir, AptListsParserTest.SECURITY_PACKAGES);
    Files.write(lists.resolve("example.org_a_Packages.lz4"), new byte[] {4, 0x22, 0x4d, 0x18, 0x60, 0x40, 0});
    Files.write(lists.resolve("example.org_b_Packages.gz"), "not gzip".getBytes(StandardCharsets.US_ASCII));

    AptLists read = new AptListsParser().parse(lists);

    assertThat(read.versions("curl")).hasSize(2);
    assertThat(read.problems()).filteredOn(p -> p.message().startsWith("index unreadable"))
        .extracting(ParseProblem::file)
        .containsExactlyInAnyOrder("example.org_a_Packages.lz4", "example.org_b_Packages.gz");
  }

  @Test
  @DisplayName("truncated or corrupted lz4 input ends in an IOException, never in another exception")
  void hostileLz4(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(LZ4), "/usr/bin/lz4 is not installed (apt-get install lz4)");
    Path plain = Files.writeString(dir.resolve("Packages"), largePackages());
    Path compressed = dir.resolve("Packages.lz4");
    run(List.of(LZ4.toString(), "-q", "-c", "-BD", "-B4", "-BX", plain.toString()), compressed);
    byte[] valid = Files.readAllBytes(compressed);

    for (int length = 0; length < valid.length; length += length < 64 ? 1 : 997) {
      byte[] truncated = Arrays.copyOf(valid, length);
      assertThatThrownBy(() -> decode(truncated, AptListsParser.MAX_INDEX_BYTES))
          .as("truncated to %d bytes", length).isInstanceOf(IOException.class);
    }
    Random random = new Random(42);
    for (int i = 0; i < 1000; i++) {
      byte[] corrupt = valid.clone();
      corrupt[random.nextInt(corrupt.length)] ^= (byte) (1 + random.nextInt(255));
      try {
        decode(corrupt, AptListsParser.MAX_INDEX_BYTES);
      } catch (IOException expected) {
        // the only acceptable failure
      } catch (RuntimeException e) {
        fail("corruption %d raised %s", i, e);
      }
    }
    assertThatThrownBy(() -> decode(valid, 100_000)).isInstanceOf(IOException.class)
        .hasMessageContaining("exceeds 100000 bytes");
  }

  @Test
  @DisplayName("skippable and concatenated frames are followed, the legacy format and a match before its frame refused")
  void frameStructure() throws Exception {
    byte[] first = frame(new byte[] {0x10, 'a'});
    byte[] second = frame(new byte[] {0x20, 'b', 'c'});
    byte[] skippable = {0x50, 0x2A, 0x4D, 0x18, 2, 0, 0, 0, 9, 9};

    assertThat(decode(concat(skippable, first, second), 1024))
        .isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> decode(new byte[] {0x02, 0x21, 0x4C, 0x18, 0, 0, 0, 0}, 1024))
        .isInstanceOf(IOException.class).hasMessageContaining("legacy");
    // One literal 'a', then a match 2 bytes back: only 1 byte exists in this frame.
    byte[] reachingBack = frame(new byte[] {0x10, 'a', 2, 0});
    assertThatThrownBy(() -> decode(concat(first, reachingBack), 1024))
        .isInstanceOf(IOException.class).hasMessageContaining("outside its window");
  }

  /** The whole content of an LZ4 stream, as the lists parser reads it. */
  private static byte[] decode(byte[] compressed, long maxBytes) throws IOException {
    try (Lz4FrameInputStream in = new Lz4FrameInputStream(new java.io.ByteArrayInputStream(compressed), maxBytes)) {
      return in.readAllBytes();
    }
  }

  /** A frame (independent blocks, 64 KiB) holding one compressed block with these bytes. */
  private static byte[] frame(byte[] block) {
    byte[] descriptor = {0x60, 0x40};
    int check = (XXHashFactory.safeInstance().hash32().hash(descriptor, 0, 2, 0) >>> 8) & 0xFF;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x04, 0x22, 0x4D, 0x18, descriptor[0], descriptor[1], (byte) check});
    out.writeBytes(new byte[] {(byte) block.length, 0, 0, 0});
    out.writeBytes(block);
    out.writeBytes(new byte[] {0, 0, 0, 0});
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** A lists directory with the fixture's Release and {@code packages} as the main index. */
  private static Path listsWith(Path lists, String packages) throws IOException {
    Files.createDirectories(lists);
    Files.writeString(lists.resolve("deb.debian.org_debian_dists_bookworm_Release"), AptListsParserTest.RELEASE);
    Files.writeString(lists.resolve(INDEX), packages, StandardCharsets.UTF_8);
    return lists;
  }

  /** Replaces {@code index} by {@code index + suffix}, written by the real compressor. */
  private static void compress(Path index, String suffix, List<String> command) throws Exception {
    List<String> argv = new ArrayList<>(command);
    argv.add(index.toString());
    run(argv, index.resolveSibling(index.getFileName() + suffix));
    Files.delete(index);
  }

  private static void assertSameAsPlain(Path plainLists, Path compressedLists, String suffix) throws IOException {
    AptLists plain = new AptListsParser().parse(plainLists);
    AptLists compressed = new AptListsParser().parse(compressedLists);

    assertThat(compressed.names()).isEqualTo(4003);
    assertThat(compressed.all()).isEqualTo(plain.all());
    assertThat(compressed.problems()).extracting(p -> p.file(), p -> p.line(), p -> p.message())
        .containsExactlyElementsOf(plain.problems().stream()
            .map(p -> org.assertj.core.groups.Tuple.tuple(p.file() + suffix, p.line(), p.message())).toList());
  }

  private static int packageLines(byte[] text) {
    String s = new String(text, StandardCharsets.ISO_8859_1);
    int count = s.startsWith("Package:") ? 1 : 0;
    for (int i = s.indexOf("\nPackage:"); i >= 0; i = s.indexOf("\nPackage:", i + 1)) {
      count++;
    }
    return count;
  }

  /** Runs a real tool with its standard output into {@code stdout}; a failure fails the test. */
  private static void run(List<String> command, Path stdout) throws Exception {
    Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    assertThat(process.exitValue()).as("exit code of %s", command).isZero();
  }
}
