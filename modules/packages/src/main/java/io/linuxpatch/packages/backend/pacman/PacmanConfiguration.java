package io.linuxpatch.packages.backend.pacman;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the backend needs from pacman's configuration, read the way pacman 6.0 reads it (checked against
 * {@code pacman-conf} in the tests): the file named by {@code --config} in {@code package_manager.options} (else
 * {@code /etc/pacman.conf}); in {@code [options]} {@code RootDir}, {@code DBPath} (default {@code RootDir/var/lib/pacman}),
 * {@code CacheDir} (default {@code /var/cache/pacman/pkg}, not under RootDir), {@code IgnorePkg}, and {@code Include}
 * (glob, followed in place); every other section is a sync repository, in file order. {@code --dbpath} and
 * {@code --cachedir} in the options override the file, as they do for pacman. Read without a child process, so a
 * listing or a refused request never forks.
 *
 * @param configFile   the pacman.conf read
 * @param rootDir      RootDir
 * @param dbPath       DBPath
 * @param cacheDirs    CacheDir entries, in order (where downloaded packages, a rollback's old versions, are kept)
 * @param ignored      IgnorePkg entries: the administrator's holds
 * @param repositories the sync repositories in pacman.conf's order
 */
public record PacmanConfiguration(Path configFile, Path rootDir, Path dbPath, List<Path> cacheDirs,
    Set<String> ignored, List<String> repositories) {

  /** pacman's default configuration file. */
  public static final Path DEFAULT_CONFIG = Path.of("/etc/pacman.conf");
  private static final Path DEFAULT_CACHE = Path.of("/var/cache/pacman/pkg");
  /** pacman stops following includes at this depth too (it would otherwise loop). */
  private static final int MAX_INCLUDE_DEPTH = 10;

  public PacmanConfiguration {
    cacheDirs = List.copyOf(cacheDirs);
    ignored = Set.copyOf(ignored);
    repositories = List.copyOf(repositories);
  }

  /**
   * Whether an IgnorePkg entry holds {@code name}: entries are fnmatch(3) patterns ({@code *}, {@code ?},
   * {@code [...]}, {@code [!...]}), as libalpm matches them.
   */
  public boolean ignores(String name) {
    for (String pattern : ignored) {
      if (pattern.equals(name) || isGlob(pattern) && globMatches(pattern, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isGlob(String pattern) {
    return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0;
  }

  static boolean globMatches(String pattern, String name) {
    StringBuilder regex = new StringBuilder();
    boolean inClass = false;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (inClass) {
        if (c == ']') {
          inClass = false;
          regex.append(']');
        } else if (c == '\\' || c == '[' || c == '&' || c == '^') {
          regex.append('\\').append(c);
        } else {
          regex.append(c);
        }
      } else if (c == '*') {
        regex.append(".*");
      } else if (c == '?') {
        regex.append('.');
      } else if (c == '[' && pattern.indexOf(']', i + 2) > 0) {
        inClass = true;
        regex.append('[');
        if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '!') {
          regex.append('^');
          i++;
        }
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return !inClass && name.matches(regex.toString());
  }

  /** The configuration file the options name ({@code --config F} or {@code --config=F}), else the default. */
  public static Path configFile(List<String> options) {
    String named = option(options, "--config");
    return named == null ? DEFAULT_CONFIG : Path.of(named);
  }

  /**
   * Reads the configuration {@code options} point at.
   *
   * @throws IOException when the file (or an included one) cannot be read
   */
  public static PacmanConfiguration read(List<String> options) throws IOException {
    Path file = configFile(options);
    Reading reading = new Reading();
    reading.read(file, null, 0);
    Path root = Path.of(reading.rootDir == null ? "/" : reading.rootDir);
    Path dbPath = option(options, "--dbpath") != null ? Path.of(option(options, "--dbpath"))
        : reading.dbPath != null ? Path.of(reading.dbPath) : root.resolve("var/lib/pacman");
    List<Path> caches = new ArrayList<>();
    if (option(options, "--cachedir") != null) {
      caches.add(Path.of(option(options, "--cachedir")));
    } else {
      reading.cacheDirs.forEach(dir -> caches.add(Path.of(dir)));
    }
    if (caches.isEmpty()) {
      caches.add(DEFAULT_CACHE);
    }
    return new PacmanConfiguration(file, root.normalize(), dbPath.normalize(),
        caches.stream().map(Path::normalize).toList(), reading.ignored, reading.repositories);
  }

  /** The value of {@code name} in {@code options}, as {@code name VALUE} or {@code name=VALUE}; the last one wins. */
  static String option(List<String> options, String name) {
    String value = null;
    for (int i = 0; i < options.size(); i++) {
      String option = options.get(i);
      if (option.equals(name) && i + 1 < options.size()) {
        value = options.get(++i);
      } else if (option.startsWith(name + "=")) {
        value = option.substring(name.length() + 1);
      }
    }
    return value;
  }

  /** The state of one read: the current section and what [options] said so far. */
  private static final class Reading {
    String rootDir;
    String dbPath;
    final List<String> cacheDirs = new ArrayList<>();
    final Set<String> ignored = new LinkedHashSet<>();
    final List<String> repositories = new ArrayList<>();
    String section;

    void read(Path file, String startSection, int depth) throws IOException {
      if (depth > MAX_INCLUDE_DEPTH) {
        throw new IOException("pacman.conf includes nest deeper than " + MAX_INCLUDE_DEPTH + " at " + file);
      }
      section = startSection;
      for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String line = raw.strip();
        // as pacman's ini parser: a comment is a whole line starting with '#'; a '#' later on is part of the value
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        if (line.startsWith("[") && line.endsWith("]")) {
          section = line.substring(1, line.length() - 1).strip();
          if (!section.equals("options") && !repositories.contains(section)) {
            repositories.add(section);
          }
          continue;
        }
        int equals = line.indexOf('=');
        String key = (equals < 0 ? line : line.substring(0, equals)).strip();
        String value = equals < 0 ? "" : line.substring(equals + 1).strip();
        if (key.equals("Include")) {
          // an included file continues the section it is included from; its own headers end with it
          String including = section;
          for (Path included : glob(value)) {
            read(included, including, depth + 1);
          }
          section = including;
          continue;
        }
        if (!"options".equals(section)) {
          continue;
        }
        switch (key) {
          case "RootDir" -> rootDir = value;
          case "DBPath" -> dbPath = value;
          case "CacheDir" -> cacheDirs.addAll(words(value));
          case "IgnorePkg" -> ignored.addAll(words(value));
          default -> {
            // other options do not change what the backend reads
          }
        }
      }
    }

    private static List<String> words(String value) {
      List<String> words = new ArrayList<>();
      for (String word : value.split("\\s+")) {
        if (!word.isEmpty()) {
          words.add(word);
        }
      }
      return words;
    }

    /** The files an Include names: glob(3) on the last path element, sorted like glob's result; none is fine. */
    private static List<Path> glob(String pattern) throws IOException {
      Path path = Path.of(pattern);
      String last = path.getFileName() == null ? "" : path.getFileName().toString();
      if (!last.contains("*") && !last.contains("?") && !last.contains("[")) {
        return Files.isRegularFile(path) ? List.of(path) : List.of();
      }
      Path dir = path.getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        return List.of();
      }
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + last);
      List<Path> matches = new ArrayList<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          if (matcher.matches(entry.getFileName()) && Files.isRegularFile(entry)) {
            matches.add(entry);
          }
        }
      }
      matches.sort(null);
      return matches;
    }
  }
}
