package io.linuxpatch.packages.backend.pacman.job;

import io.linuxpatch.contract.packages.Backend;
import io.linuxpatch.contract.packages.PackageName;
import io.linuxpatch.contract.packages.Validation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The holds the agent keeps for pacman ({@code PUT|DELETE /api/v1/holds/{name}}): one file,
 * {@code ROOT/etc/pacman.d/linux-patch-api-holds.conf}, in pacman.conf's own {@code IgnorePkg = NAME} syntax. Why
 * there: the agent never edits the administrator's pacman.conf, yet the holds live with pacman's configuration of
 * that root (a sandbox keeps them inside the sandbox, a host in {@code /etc/pacman.d}), survive the agent's data
 * directory being moved, and an administrator who adds {@code Include = /etc/pacman.d/linux-patch-api-holds.conf}
 * to pacman.conf's {@code [options]} makes every pacman run honour them, not only the agent's. The agent's own runs
 * pass them as {@code --ignore} either way, and its reads treat them as IgnorePkg.
 *
 * <p>Written atomically (a temporary file, then a rename); read again when its stamp changes. Every name in it is
 * checked with SEC-9's pacman rules on reading, so an edited file cannot smuggle an option into an argv.
 */
public final class PacmanHoldFile {

  /** The file's path under the configured root. */
  public static final String RELATIVE_PATH = "etc/pacman.d/linux-patch-api-holds.conf";

  private static final Logger LOG = LoggerFactory.getLogger(PacmanHoldFile.class);

  private final Path file;
  private String stamp;
  private Set<String> names = Set.of();

  public PacmanHoldFile(Path rootDir) {
    this.file = rootDir.resolve(RELATIVE_PATH);
  }

  public Path file() {
    return file;
  }

  /** The held names, sorted. Blocking (a stat, and a read when the file changed). */
  public synchronized Set<String> names() {
    String now;
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      now = a.lastModifiedTime().toMillis() + " " + a.size() + " " + a.fileKey();
    } catch (NoSuchFileException e) {
      stamp = null;
      names = Set.of();
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the agent's pacman holds " + file, e);
    }
    if (!now.equals(stamp)) {
      names = read();
      stamp = now;
    }
    return names;
  }

  /** Adds or removes {@code name} (already validated); whether the file changed. */
  public synchronized boolean set(String name, boolean held) {
    Set<String> next = new TreeSet<>(names());
    boolean changed = held ? next.add(name) : next.remove(name);
    if (changed) {
      write(next);
      stamp = null;
    }
    return changed;
  }

  private Set<String> read() {
    Set<String> read = new TreeSet<>();
    try {
      for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String line = raw.strip();
        int equals = line.indexOf('=');
        if (line.startsWith("#") || equals < 0 || !line.substring(0, equals).strip().equals("IgnorePkg")) {
          continue;
        }
        for (String name : line.substring(equals + 1).strip().split("\\s+")) {
          if (name.isEmpty()) {
            continue;
          }
          if (PackageName.validate(name, Backend.PACMAN, n -> true) instanceof Validation.Invalid invalid) {
            LOG.warn("ignoring \"{}\" in {}: {}", name, file, invalid.message());
          } else {
            read.add(name);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the agent's pacman holds " + file, e);
    }
    return Set.copyOf(read);
  }

  private void write(Set<String> held) {
    StringBuilder text = new StringBuilder()
        .append("# Written by linux-patch-api: the packages held with PUT /api/v1/holds/{name}, in IgnorePkg syntax.\n")
        .append("# The agent passes them to its own pacman runs as --ignore. To make every pacman run honour them,\n")
        .append("# add to the [options] section of pacman.conf:\n")
        .append("#   Include = ").append(file).append('\n');
    held.forEach(name -> text.append("IgnorePkg = ").append(name).append('\n'));
    try {
      Files.createDirectories(file.getParent());
      Path temp = file.resolveSibling(file.getFileName() + ".new");
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the agent's pacman holds " + file, e);
    }
  }
}
