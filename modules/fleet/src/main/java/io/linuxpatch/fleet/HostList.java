package io.linuxpatch.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The hosts a fleet command talks to: a file with one agent URL per line ({@code #} starts a comment, blank lines
 * are skipped) and/or URLs given one by one, in that order, each host once.
 */
public final class HostList {

  private HostList() {
  }

  /**
   * The hosts of {@code file} (may be null) followed by {@code urls}.
   *
   * @throws IllegalArgumentException naming the file and line of a malformed URL, or when no host is given
   */
  public static List<Host> of(Path file, List<String> urls) throws IOException {
    LinkedHashSet<Host> hosts = new LinkedHashSet<>();
    if (file != null) {
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        int comment = line.indexOf('#');
        String text = (comment >= 0 ? line.substring(0, comment) : line).strip();
        if (text.isEmpty()) {
          continue;
        }
        try {
          hosts.add(Host.parse(text));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage());
        }
      }
    }
    for (String url : urls) {
      hosts.add(Host.parse(url));
    }
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("no hosts: give --hosts FILE or --host URL");
    }
    return new ArrayList<>(hosts);
  }
}
