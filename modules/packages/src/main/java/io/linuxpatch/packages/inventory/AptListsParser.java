package io.linuxpatch.packages.inventory;

import io.linuxpatch.packages.version.DebianVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * Reads apt's downloaded indices in a lists directory ({@code <root>/var/lib/apt/lists}): every
 * {@code *_Packages} file, each tied to the {@code *_InRelease} or {@code *_Release} file of its
 * repository, which names the suite.
 *
 * <p>Index files are tens of megabytes: they are decoded as ISO-8859-1 (one byte per char, so the JDK's
 * compact strings keep them at their size on disk) and only the summary, the one field that may hold
 * UTF-8, is decoded again. Indices apt keeps compressed ({@code Acquire::GzipIndexes}, set on Docker's
 * Debian images: apt then stores {@code *_Packages.lz4}) are decoded in memory, {@code .lz4} by
 * {@link Lz4FrameDecoder} and {@code .gz} by the JDK, without forking a decompressor. Other compressions
 * ({@code .xz}, {@code .bz2}, {@code .lzma}, {@code .zst}) have no decoder here and are reported, so that a
 * missing {@code available_version} has a visible reason.
 */
public final class AptListsParser {

  /** A broken index could otherwise fill memory with one problem per stanza. */
  static final int MAX_PROBLEMS_PER_FILE = 50;

  /**
   * The most an index may decode to. Debian's largest (main, amd64) is about 50 MB; a compressed file that
   * claims far more is corrupt or hostile and must not exhaust the agent's memory.
   */
  static final int MAX_INDEX_BYTES = 512 * 1024 * 1024;

  private static final String PACKAGES_SUFFIX = "_Packages";

  /** How apt may store an index, by the suffix after {@code _Packages}; earlier constants are preferred. */
  private enum Storage {
    PLAIN("", true),
    LZ4(".lz4", true),
    GZIP(".gz", true),
    XZ(".xz", false),
    BZIP2(".bz2", false),
    LZMA(".lzma", false),
    ZSTD(".zst", false);

    final String suffix;
    final boolean readable;

    Storage(String suffix, boolean readable) {
      this.suffix = suffix;
      this.readable = readable;
    }

    /** The storage a lists file name ends in after {@code _Packages}, or null when it is no index. */
    static Storage of(String name) {
      for (Storage storage : values()) {
        if (name.endsWith(PACKAGES_SUFFIX + storage.suffix)) {
          return storage;
        }
      }
      return null;
    }
  }

  private static final int PACKAGE = 0;
  private static final int VERSION = 1;
  private static final int ARCHITECTURE = 2;
  private static final int INSTALLED_SIZE = 3;
  private static final int DESCRIPTION = 4;

  private static final Deb822Reader PACKAGES = new Deb822Reader(
      List.of("Package", "Version", "Architecture", "Installed-Size", "Description"));

  private static final int ORIGIN = 0;
  private static final int LABEL = 1;
  private static final int SUITE = 2;
  private static final int CODENAME = 3;

  private static final Deb822Reader RELEASE = new Deb822Reader(List.of("Origin", "Label", "Suite", "Codename"));

  /**
   * Reads the lists directory; a missing directory is an empty result (apt has not run {@code update}).
   * Blocking: call it from a worker.
   *
   * @throws IOException when the directory exists but cannot be listed
   */
  public AptLists parse(Path listsDir) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(listsDir)) {
      for (Path entry : entries) {
        names.add(entry.getFileName().toString());
      }
    } catch (NoSuchFileException e) {
      return AptLists.EMPTY;
    }
    Map<String, List<AvailablePackage>> byName = new HashMap<>();
    List<ParseProblem> problems = new ArrayList<>();
    Map<String, AptRelease> releases = new HashMap<>();
    for (String name : names) {
      Storage storage = Storage.of(name);
      if (storage == null) {
        continue;
      }
      String index = name.substring(0, name.length() - storage.suffix.length());
      if (!preferred(index, storage, names)) {
        // apt keeps one copy of an index; two only meet while GzipIndexes is being switched. Reading both
        // would list every version twice.
        continue;
      }
      if (!storage.readable) {
        problems.add(new ParseProblem(name, 0, storage.suffix.substring(1) + "-compressed index not read: "
            + "this agent decodes plain, .gz and .lz4 lists; set Acquire::GzipIndexes \"false\" "
            + "(or let apt store lz4) and run apt-get update"));
        continue;
      }
      AptRelease release = releaseFor(listsDir, name, index, names, releases, problems);
      String text;
      try {
        text = new String(read(listsDir.resolve(name), storage), StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        problems.add(new ParseProblem(name, 0, "index unreadable: " + e));
        continue;
      }
      packages(name, text, release, byName, problems);
    }
    return new AptLists(byName, problems);
  }

  /** Whether no storage before {@code storage} exists for the same index. */
  private static boolean preferred(String index, Storage storage, TreeSet<String> names) {
    for (Storage better : Storage.values()) {
      if (better == storage) {
        return true;
      }
      if (names.contains(index + better.suffix)) {
        return false;
      }
    }
    return true;
  }

  /** The index's bytes, decompressed in memory; the file is read whole either way. */
  private static byte[] read(Path file, Storage storage) throws IOException {
    switch (storage) {
      case PLAIN:
        return Files.readAllBytes(file);
      case LZ4:
        return Lz4FrameDecoder.decode(Files.readAllBytes(file), MAX_INDEX_BYTES);
      case GZIP:
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 64 * 1024)) {
          byte[] bytes = in.readNBytes(MAX_INDEX_BYTES);
          if (in.read() >= 0) {
            throw new IOException("gzip content exceeds " + MAX_INDEX_BYTES + " bytes");
          }
          return bytes;
        }
      default:
        throw new IllegalStateException("no decoder for " + storage);
    }
  }

  private static void packages(String file, String text, AptRelease release,
      Map<String, List<AvailablePackage>> byName, List<ParseProblem> problems) {
    int[] fileProblems = {0};
    PACKAGES.read(file, text, stanza -> {
      String name = stanza.value(PACKAGE);
      String versionText = stanza.value(VERSION);
      String why = !stanza.problems().isEmpty() ? stanza.problems().get(0).message()
          : name == null || name.isEmpty() ? "no package name"
          : versionText == null ? "no Version"
          : null;
      DebianVersion version = null;
      if (why == null) {
        try {
          version = DebianVersion.parse(versionText);
        } catch (IllegalArgumentException e) {
          why = "unreadable Version: " + e.getMessage();
        }
      }
      if (why != null) {
        if (fileProblems[0]++ < MAX_PROBLEMS_PER_FILE) {
          problems.add(new ParseProblem(file, stanza.firstLine(),
              (name == null ? "stanza" : "package " + name) + " skipped: " + why));
        }
        return;
      }
      String architecture = stanza.value(ARCHITECTURE);
      AvailablePackage available = new AvailablePackage(name, architecture == null ? "" : architecture,
          version, installedSize(stanza.value(INSTALLED_SIZE)), summary(stanza.value(DESCRIPTION)), release);
      byName.computeIfAbsent(name, n -> new ArrayList<>(1)).add(available);
    });
    if (fileProblems[0] > MAX_PROBLEMS_PER_FILE) {
      problems.add(new ParseProblem(file, 0, (fileProblems[0] - MAX_PROBLEMS_PER_FILE) + " further problems not listed"));
    }
  }

  /** An index's size is informative only: unreadable means unknown. */
  private static OptionalLong installedSize(String value) {
    if (value == null || value.isEmpty() || value.length() > 15) {
      return OptionalLong.empty();
    }
    long kib = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
      kib = kib * 10 + (c - '0');
    }
    return OptionalLong.of(kib * 1024);
  }

  /** The first line of a description, decoded from the ISO-8859-1 view back into UTF-8 when needed. */
  private static String summary(String description) {
    if (description == null) {
      return "";
    }
    int newline = description.indexOf('\n');
    String line = (newline < 0 ? description : description.substring(0, newline)).strip();
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) > 0x7f) {
        return new String(line.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
      }
    }
    return line;
  }

  /**
   * The Release of a Packages file: apt names list files after the URL with {@code /} turned into
   * {@code _}, so the repository's Release shares the longest {@code _}-ending prefix with it
   * ({@code …_dists_bookworm_} for {@code …_dists_bookworm_main_binary-amd64_Packages}, {@code …_._} for
   * a flat repository). InRelease is preferred, as apt does.
   */
  private static AptRelease releaseFor(Path listsDir, String packagesFile, String index, TreeSet<String> names,
      Map<String, AptRelease> releases, List<ParseProblem> problems) {
    // index is the file's name without a compression suffix. The stem keeps the '_' before "Packages":
    // a flat repository's Release sits right beside its index.
    String stem = index.substring(0, index.length() - PACKAGES_SUFFIX.length() + 1);
    for (int cut = stem.length() - 1; cut >= 0; cut = stem.lastIndexOf('_', cut - 1)) {
      String prefix = stem.substring(0, cut + 1);
      for (String candidate : new String[] {prefix + "InRelease", prefix + "Release"}) {
        if (names.contains(candidate)) {
          return releases.computeIfAbsent(candidate, file -> release(listsDir, file, problems));
        }
      }
      if (cut == 0) {
        break;
      }
    }
    problems.add(new ParseProblem(packagesFile, 0, "no Release or InRelease file found for this index"));
    return AptRelease.UNKNOWN;
  }

  private static AptRelease release(Path listsDir, String file, List<ParseProblem> problems) {
    String text;
    try {
      text = new String(Files.readAllBytes(listsDir.resolve(file)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      problems.add(new ParseProblem(file, 0, "release file unreadable: " + e));
      return new AptRelease("", "", "", "", file);
    }
    String body = ClearSignedText.body(text);
    AptRelease[] first = {null};
    RELEASE.read(file, body, stanza -> {
      if (first[0] == null) {
        first[0] = new AptRelease(orEmpty(stanza.value(ORIGIN)), orEmpty(stanza.value(LABEL)),
            orEmpty(stanza.value(SUITE)), orEmpty(stanza.value(CODENAME)), file);
      }
    });
    if (first[0] == null) {
      problems.add(new ParseProblem(file, 0, "release file has no fields"));
      return new AptRelease("", "", "", "", file);
    }
    return first[0];
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
