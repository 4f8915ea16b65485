package io.linuxpatch.packages.backend.pacman.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads pacman's local database, {@code DBPath/local/NAME-VERSION/desc} for each installed package, into memory
 * in one pass and without forking (PKG-2): what {@code pacman -Q} and {@code -Qi} would show, from the same files
 * libalpm reads. A desc file is a few hundred bytes; one reusable buffer reads them all. The {@code files} and
 * {@code mtree} files are not read (a package's file list is read on demand by whoever needs it).
 */
public final class LocalDatabaseReader {

  public static final String LOCAL = "local";

  /** No real desc file comes near this; a larger one is not a desc file. */
  static final int MAX_DESC_BYTES = 1 << 20;

  private byte[] buffer = new byte[8192];

  /**
   * Reads {@code dbPath/local}; a missing directory is an empty database (pacman has installed nothing yet).
   * Blocking (one open and read per package); not for concurrent use.
   *
   * @throws IOException when the directory exists but cannot be listed
   */
  public PacmanDatabase read(Path dbPath) throws IOException {
    Path local = dbPath.resolve(LOCAL);
    PackageColumns.Builder builder = new PackageColumns.Builder(LOCAL);
    List<DatabaseProblem> problems = new ArrayList<>();
    int[] problemCount = {0};
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(local)) {
      for (Path entry : entries) {
        String directoryName = entry.getFileName().toString();
        if (directoryName.equals("ALPM_DB_VERSION") || !Files.isDirectory(entry)) {
          continue;
        }
        String source = LOCAL + "/" + directoryName + "/desc";
        int length;
        try {
          length = readDesc(entry.resolve("desc"));
        } catch (NoSuchFileException e) {
          problem(problems, problemCount, source, "missing: the package's entry is incomplete");
          continue;
        } catch (IOException e) {
          problem(problems, problemCount, source, "cannot be read: " + e.getMessage());
          continue;
        }
        if (length < 0) {
          problem(problems, problemCount, source, "larger than " + MAX_DESC_BYTES + " bytes: not a desc file");
          continue;
        }
        builder.begin();
        DescParser.parse(buffer, length, builder);
        String expected = builder.current(DescField.NAME) + "-" + builder.current(DescField.VERSION);
        String rejected = builder.end();
        if (rejected != null) {
          problem(problems, problemCount, source, rejected);
        } else if (!expected.equals(directoryName)) {
          // libalpm keeps such an entry and warns "database is inconsistent"; so do we
          problem(problems, problemCount, source, "names " + expected + ", not its directory " + directoryName);
        }
      }
    } catch (NoSuchFileException e) {
      return PacmanDatabase.empty(LOCAL, List.of());
    }
    PackageColumns columns = builder.build();
    for (String name : PackageColumns.Builder.duplicates(columns)) {
      problem(problems, problemCount, LOCAL, name + " is recorded as installed more than once");
    }
    if (problemCount[0] > problems.size()) {
      problems.add(new DatabaseProblem(LOCAL, (problemCount[0] - problems.size()) + " further problems not listed"));
    }
    return new PacmanDatabase(columns, problems);
  }

  /** Reads the file into {@link #buffer}; its length, or -1 when it is too large. */
  private int readDesc(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      int length = 0;
      while (true) {
        if (length == buffer.length) {
          if (buffer.length >= MAX_DESC_BYTES) {
            return -1;
          }
          buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = in.read(buffer, length, buffer.length - length);
        if (n < 0) {
          return length;
        }
        length += n;
      }
    }
  }

  private static void problem(List<DatabaseProblem> problems, int[] count, String source, String message) {
    count[0]++;
    if (problems.size() < PacmanDatabase.MAX_PROBLEMS) {
      problems.add(new DatabaseProblem(source, message));
    }
  }
}
