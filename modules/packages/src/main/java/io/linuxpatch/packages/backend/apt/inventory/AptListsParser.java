package io.linuxpatch.packages.backend.apt.inventory;

import io.linuxpatch.packages.backend.apt.version.DebianVersion;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Reads apt's downloaded indices in a lists directory ({@code <root>/var/lib/apt/lists}): every
 * {@code *_Packages} file, each tied to the {@code *_InRelease} or {@code *_Release} file of its
 * repository, which names the suite.
 *
 * <p>Index files are tens of megabytes (a stock Debian host: 50 MB, Ubuntu with universe: more than 100 MB), so
 * they are streamed, never held whole (issue 20): chunks of a few hundred stanzas are decoded as ISO-8859-1 (one
 * char per byte) and only the fields listings and plans need are kept, compactly ({@link AvailablePackage}).
 * Indices apt keeps compressed ({@code Acquire::GzipIndexes}, set on Docker's Debian images: apt then stores
 * {@code *_Packages.lz4}) are decoded as they are read, {@code .lz4} by {@link Lz4FrameInputStream} and
 * {@code .gz} by the JDK, without forking a decompressor. Other compressions
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

  /** No real stanza comes near this; a file without blank lines must not be read into memory whole. */
  static final int MAX_STANZA_BYTES = 8 * 1024 * 1024;

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

  /** What was read of one index, kept while its file and its Release file stay the same. */
  private record ReadIndex(String stamp, IndexColumns packages, List<ParseProblem> problems) {
  }

  /** The last read of each index, by file name: an index whose stamp did not change is not read again. */
  private final Map<String, ReadIndex> readIndices = new HashMap<>();

  /**
   * Reads the lists directory; a missing directory is an empty result (apt has not run {@code update}).
   * Indices already read by this parser whose file and Release file kept their stamps (modification time,
   * size, inode) are not read again, so an {@code apt-get update} that replaced one index costs one index.
   * Blocking: call it from a worker; not for concurrent use.
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
      readIndices.clear();
      return AptLists.EMPTY;
    }
    List<IndexColumns> indices = new ArrayList<>();
    List<ParseProblem> problems = new ArrayList<>();
    Map<String, AptRelease> releases = new HashMap<>();
    Map<String, ReadIndex> stillThere = new HashMap<>();
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
      String releaseFile = releaseFileFor(index, names);
      String stamp = stamp(listsDir.resolve(name)) + " " + (releaseFile == null ? "-" : stamp(listsDir.resolve(releaseFile)));
      ReadIndex read = readIndices.get(name);
      if (read == null || !read.stamp().equals(stamp)) {
        read = readIndex(listsDir, name, storage, releaseFile, stamp, releases);
      }
      stillThere.put(name, read);
      indices.add(read.packages());
      problems.addAll(read.problems());
    }
    readIndices.keySet().retainAll(stillThere.keySet());
    readIndices.putAll(stillThere);
    return AptLists.of(indices, problems);
  }

  private static ReadIndex readIndex(Path listsDir, String name, Storage storage, String releaseFile, String stamp,
      Map<String, AptRelease> releases) {
    List<ParseProblem> problems = new ArrayList<>();
    AptRelease release;
    if (releaseFile == null) {
      problems.add(new ParseProblem(name, 0, "no Release or InRelease file found for this index"));
      release = AptRelease.UNKNOWN;
    } else {
      release = releases.computeIfAbsent(releaseFile, file -> release(listsDir, file, problems));
    }
    IndexColumns.Builder packages = new IndexColumns.Builder(release);
    try (InputStream in = open(listsDir.resolve(name), storage)) {
      packages(name, in, packages, problems);
    } catch (IOException | IllegalStateException e) {
      // What was read before the failure is dropped with the rest: half an index would look like removals.
      problems.add(new ParseProblem(name, 0, "index unreadable: " + e));
      return new ReadIndex(stamp, new IndexColumns.Builder(release).build(), problems);
    }
    return new ReadIndex(stamp, packages.build(), problems);
  }

  /** Modification time, size and inode: equal stamps mean the file was not replaced. */
  private static String stamp(Path file) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS) + "/" + attributes.size() + "/"
          + attributes.fileKey();
    } catch (IOException e) {
      return "unreadable";
    }
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

  /**
   * The index's decompressed bytes as a stream: the file is never held whole, compressed or not. Bounded by
   * {@link #MAX_INDEX_BYTES}, so that a hostile file cannot make the agent read without end.
   */
  private static InputStream open(Path file, Storage storage) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
    try {
      return switch (storage) {
        case PLAIN -> new BoundedInputStream(raw, MAX_INDEX_BYTES, "index");
        case LZ4 -> new Lz4FrameInputStream(raw, MAX_INDEX_BYTES);
        case GZIP -> new BoundedInputStream(new GZIPInputStream(raw, 64 * 1024), MAX_INDEX_BYTES, "gzip content");
        default -> throw new IllegalStateException("no decoder for " + storage);
      };
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  private static void packages(String file, InputStream in, IndexColumns.Builder out, List<ParseProblem> problems)
      throws IOException {
    int[] fileProblems = {0};
    PACKAGES.read(file, in, MAX_STANZA_BYTES, stanza -> {
      String name = stanza.value(PACKAGE);
      String versionText = stanza.value(VERSION);
      String why = !stanza.problems().isEmpty() ? stanza.problems().get(0).message()
          : name == null || name.isEmpty() ? "no package name"
          : versionText == null ? "no Version"
          : null;
      if (why == null) {
        try {
          DebianVersion.parse(versionText);
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
      out.add(name, versionText, architecture == null ? "" : architecture, installedSizeKib(stanza.value(INSTALLED_SIZE)),
          summary(stanza.value(DESCRIPTION)));
    });
    if (fileProblems[0] > MAX_PROBLEMS_PER_FILE) {
      problems.add(new ParseProblem(file, 0, (fileProblems[0] - MAX_PROBLEMS_PER_FILE) + " further problems not listed"));
    }
  }

  /** An index's size is informative only: unreadable (or beyond 2 TiB) means unknown, -1. */
  private static int installedSizeKib(String value) {
    if (value == null || value.isEmpty() || value.length() > 9) {
      return -1;
    }
    int kib = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      kib = kib * 10 + (c - '0');
    }
    return kib;
  }

  /** The first line of a description as the file's (UTF-8) bytes: the ISO-8859-1 view maps each char to its byte. */
  private static byte[] summary(String description) {
    if (description == null) {
      return new byte[0];
    }
    int newline = description.indexOf('\n');
    String line = (newline < 0 ? description : description.substring(0, newline)).strip();
    return line.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * The Release of a Packages file: apt names list files after the URL with {@code /} turned into
   * {@code _}, so the repository's Release shares the longest {@code _}-ending prefix with it
   * ({@code …_dists_bookworm_} for {@code …_dists_bookworm_main_binary-amd64_Packages}, {@code …_._} for
   * a flat repository). InRelease is preferred, as apt does. Null when there is none.
   *
   * @param index the index's file name without a compression suffix
   */
  private static String releaseFileFor(String index, TreeSet<String> names) {
    // The stem keeps the '_' before "Packages": a flat repository's Release sits right beside its index.
    String stem = index.substring(0, index.length() - PACKAGES_SUFFIX.length() + 1);
    for (int cut = stem.length() - 1; cut >= 0; cut = stem.lastIndexOf('_', cut - 1)) {
      String prefix = stem.substring(0, cut + 1);
      for (String candidate : new String[] {prefix + "InRelease", prefix + "Release"}) {
        if (names.contains(candidate)) {
          return candidate;
        }
      }
      if (cut == 0) {
        break;
      }
    }
    return null;
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
