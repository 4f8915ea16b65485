package io.linuxpatch.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A pacman DBPath shaped like an Arch server's: {@code installed} packages in the local database
 * ({@code local/NAME-VERSION/desc}, dependencies included) and {@code available} in two gzip sync databases
 * ({@code core}, {@code extra}) as the mirrors publish them, every fifth available package installed and the first
 * 5 % of the installed ones one version behind. Deterministic.
 */
final class SyntheticPacmanDatabases {

  private SyntheticPacmanDatabases() {}

  /** Writes DBPath under {@code directory} and returns it. */
  static Path write(Path directory, int installed, int available) throws IOException {
    if (available < installed * 5) {
      throw new IllegalArgumentException("every fifth available package is installed: need " + installed * 5);
    }
    Path dbPath = Files.createDirectories(directory.resolve("db"));
    Files.createDirectories(dbPath.resolve("sync"));
    Path local = Files.createDirectories(dbPath.resolve("local"));
    Files.writeString(local.resolve("ALPM_DB_VERSION"), "9\n");
    int core = available / 50;
    writeSync(dbPath.resolve("sync/core.db"), 0, core, available);
    writeSync(dbPath.resolve("sync/extra.db"), core, available, available);
    int behind = installed / 20;
    for (int k = 0; k < installed; k++) {
      int i = k * 5;
      String version = k < behind ? "0.9." + i + "-1" : version(i);
      Path entry = Files.createDirectories(local.resolve(name(i) + "-" + version));
      Files.writeString(entry.resolve("desc"), localDesc(i, version, available), StandardCharsets.UTF_8);
    }
    return dbPath;
  }

  static String name(int i) {
    String[] stems = {"lib", "python-", "perl-", "ruby-", "haskell-", "xf86-", "kde-", "gnome-", "font-", "r-"};
    return stems[i % stems.length] + "pkg" + Integer.toString(i * 7919 % 100_003, 36) + (i % 3 == 0 ? "-utils" : "");
  }

  private static String version(int i) {
    return (i % 11 == 0 ? "1:" : "") + (1 + i % 9) + "." + (i % 23) + "." + (i % 7) + "-" + (1 + i % 4);
  }

  private static void writeSync(Path file, int from, int to, int available) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out, 64 * 1024))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (int i = from; i < to; i++) {
        String directory = name(i) + "-" + version(i) + "/";
        tar.putArchiveEntry(new TarArchiveEntry(directory));
        tar.closeArchiveEntry();
        byte[] desc = syncDesc(i, available).getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(directory + "desc");
        entry.setSize(desc.length);
        tar.putArchiveEntry(entry);
        tar.write(desc);
        tar.closeArchiveEntry();
      }
    }
  }

  private static String syncDesc(int i, int available) {
    String name = name(i);
    return "%FILENAME%\n" + name + "-" + version(i) + "-x86_64.pkg.tar.zst\n\n%NAME%\n" + name + "\n\n%BASE%\n"
        + name + "\n\n%VERSION%\n" + version(i) + "\n\n%DESC%\nA generated package number " + i
        + " for the benchmark, with a description of usual length\n\n%CSIZE%\n" + (10_000 + i) + "\n\n%ISIZE%\n"
        + (40_000 + 3L * i) + "\n\n%SHA256SUM%\n" + "0123456789abcdef".repeat(4) + "\n\n%PGPSIG%\n"
        + "iQIzBAABCAAdFiEE".repeat(25) + "\n\n%URL%\nhttps://example.invalid/" + name + "\n\n%LICENSE%\nGPL\n\n"
        + "%ARCH%\nx86_64\n\n%BUILDDATE%\n" + (1_700_000_000L + i) + "\n\n%PACKAGER%\nGenerated <gen@example.invalid>"
        + "\n\n%DEPENDS%\nglibc\n" + name((i + 1) % available) + ">=1.0\n\n";
  }

  private static String localDesc(int i, String version, int available) {
    String name = name(i);
    return "%NAME%\n" + name + "\n\n%VERSION%\n" + version + "\n\n%BASE%\n" + name + "\n\n%DESC%\nA generated "
        + "package number " + i + " for the benchmark, with a description of usual length\n\n%URL%\n"
        + "https://example.invalid/" + name + "\n\n%ARCH%\nx86_64\n\n%BUILDDATE%\n" + (1_700_000_000L + i)
        + "\n\n%INSTALLDATE%\n" + (1_710_000_000L + i) + "\n\n%PACKAGER%\nGenerated <gen@example.invalid>\n\n%SIZE%\n"
        + (40_000 + 3L * i) + "\n\n" + (i % 3 == 0 ? "%REASON%\n1\n\n" : "") + "%VALIDATION%\npgp\n\n%DEPENDS%\n"
        + "glibc\n" + name((i + 1) % available) + ">=1.0\n\n";
  }
}
