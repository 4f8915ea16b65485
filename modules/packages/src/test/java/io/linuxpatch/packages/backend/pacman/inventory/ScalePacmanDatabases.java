package io.linuxpatch.packages.backend.pacman.inventory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A deterministic pacman DBPath of Arch's real size: sync databases {@code core} and {@code extra} (gzip, as
 * the mirrors publish them) with 15,000 packages whose desc entries carry every field a real one does (a
 * 400-character {@code %PGPSIG%} included), and a local database of 3,000 installed packages, 150 of them
 * with a newer version available.
 */
final class ScalePacmanDatabases {

  static final int AVAILABLE = 15_000;
  static final int CORE = 300;
  static final int INSTALLED = 3_000;
  static final int UPDATES = 150;

  private ScalePacmanDatabases() {
  }

  /** Writes the databases under {@code dbPath} and returns the pacman.conf that describes them. */
  static Path write(Path directory) throws IOException {
    Path dbPath = Files.createDirectories(directory.resolve("db"));
    Path root = Files.createDirectories(directory.resolve("root"));
    Files.createDirectories(dbPath.resolve("sync"));
    Path local = Files.createDirectories(dbPath.resolve("local"));
    Files.writeString(local.resolve("ALPM_DB_VERSION"), "9\n");
    Random random = new Random(4242);
    List<Integer> core = new ArrayList<>();
    List<Integer> extra = new ArrayList<>();
    for (int i = 0; i < AVAILABLE; i++) {
      (i < CORE ? core : extra).add(i);
    }
    writeSync(dbPath.resolve("sync/core.db"), core, random);
    writeSync(dbPath.resolve("sync/extra.db"), extra, random);
    // every fifth available package is installed; the first UPDATES of those at an older version
    for (int k = 0; k < INSTALLED; k++) {
      int i = k * 5;
      String name = name(i);
      String version = k < UPDATES ? "0.9." + i + "-1" : version(i);
      Path entry = Files.createDirectories(local.resolve(name + "-" + version));
      Files.writeString(entry.resolve("desc"), localDesc(name, version, i), StandardCharsets.UTF_8);
      Files.writeString(entry.resolve("files"), "%FILES%\nusr/\nusr/share/\nusr/share/" + name + "/\n\n");
    }
    Path config = directory.resolve("pacman.conf");
    Files.writeString(config, "[options]\nRootDir = " + root + "/\nDBPath = " + dbPath + "/\nLogFile = "
        + directory.resolve("pacman.log") + "\nCacheDir = " + directory.resolve("cache") + "/\nGPGDir = "
        + directory.resolve("gnupg") + "/\nHookDir = " + directory.resolve("hooks") + "/\nSigLevel = Never\n\n"
        + "[core]\nServer = file://" + directory.resolve("nowhere") + "\n\n[extra]\nServer = file://"
        + directory.resolve("nowhere") + "\n");
    return config;
  }

  static Path dbPath(Path directory) {
    return directory.resolve("db");
  }

  static String name(int i) {
    String[] stems = {"lib", "python-", "perl-", "ruby-", "haskell-", "xf86-", "kde-", "gnome-", "font-", "r-"};
    return stems[i % stems.length] + "pkg" + Integer.toString(i * 7919 % 100_003, 36) + (i % 3 == 0 ? "-utils" : "");
  }

  static String version(int i) {
    return (i % 11 == 0 ? "1:" : "") + (1 + i % 9) + "." + (i % 23) + "." + (i % 7) + "-" + (1 + i % 4);
  }

  private static void writeSync(Path file, List<Integer> indices, Random random) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out, 64 * 1024))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (int i : indices) {
        String name = name(i);
        String version = version(i);
        String directory = name + "-" + version + "/";
        TarArchiveEntry dirEntry = new TarArchiveEntry(directory);
        tar.putArchiveEntry(dirEntry);
        tar.closeArchiveEntry();
        byte[] desc = syncDesc(name, version, i, random).getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry descEntry = new TarArchiveEntry(directory + "desc");
        descEntry.setSize(desc.length);
        tar.putArchiveEntry(descEntry);
        tar.write(desc);
        tar.closeArchiveEntry();
      }
    }
  }

  private static String syncDesc(String name, String version, int i, Random random) {
    StringBuilder signature = new StringBuilder();
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int k = 0; k < 400; k++) {
      signature.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return "%FILENAME%\n" + name + "-" + version + "-x86_64.pkg.tar.zst\n\n"
        + "%NAME%\n" + name + "\n\n%BASE%\n" + name + "\n\n%VERSION%\n" + version + "\n\n"
        + "%DESC%\nA generated package number " + i + " for scale tests, with a description of usual length\n\n"
        + "%CSIZE%\n" + (10_000 + i) + "\n\n%ISIZE%\n" + (40_000 + 3L * i) + "\n\n"
        + "%MD5SUM%\n0123456789abcdef0123456789abcdef\n\n"
        + "%SHA256SUM%\n0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n\n"
        + "%PGPSIG%\n" + signature + "\n\n"
        + "%URL%\nhttps://example.invalid/" + name + "\n\n%LICENSE%\nGPL-3.0-or-later\n\n%ARCH%\nx86_64\n\n"
        + "%BUILDDATE%\n" + (1_700_000_000L + i) + "\n\n%PACKAGER%\nGenerated Packager <gen@example.invalid>\n\n"
        + "%DEPENDS%\nglibc\n" + name((i + 1) % AVAILABLE) + ">=1.0\n\n"
        + "%OPTDEPENDS%\n" + name((i + 2) % AVAILABLE) + ": for extra features\n\n"
        + "%MAKEDEPENDS%\ngit\n\n";
  }

  private static String localDesc(String name, String version, int i) {
    return "%NAME%\n" + name + "\n\n%VERSION%\n" + version + "\n\n%BASE%\n" + name + "\n\n"
        + "%DESC%\nA generated package number " + i + " for scale tests, with a description of usual length\n\n"
        + "%URL%\nhttps://example.invalid/" + name + "\n\n%ARCH%\nx86_64\n\n%BUILDDATE%\n" + (1_700_000_000L + i)
        + "\n\n%INSTALLDATE%\n" + (1_710_000_000L + i) + "\n\n%PACKAGER%\nGenerated Packager <gen@example.invalid>\n\n"
        + "%SIZE%\n" + (40_000 + 3L * i) + "\n\n" + (i % 3 == 0 ? "%REASON%\n1\n\n" : "")
        + "%LICENSE%\nGPL-3.0-or-later\n\n%VALIDATION%\npgp\n\n"
        + "%DEPENDS%\nglibc\n" + name((i + 1) % AVAILABLE) + ">=1.0\n\n";
  }
}
