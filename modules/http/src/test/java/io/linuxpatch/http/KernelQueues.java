package io.linuxpatch.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What the kernel holds in a socket's send queue, read from {@code /proc/net/tcp} (Linux): the bytes written
 * by the process and not yet acknowledged by the peer, which the process' own memory figures do not show.
 */
final class KernelQueues {

  private KernelQueues() {}

  /** The largest send queue among the sockets of local port {@code serverPort} to the peer ports {@code peers}. */
  static long mostQueued(int serverPort, Set<Integer> peers) throws IOException {
    long most = 0;
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path table = Path.of(file);
      if (!Files.isReadable(table)) {
        continue;
      }
      for (String line : Files.readAllLines(table)) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 5 || !fields[1].contains(":")) {
          continue;
        }
        int local = Integer.parseInt(fields[1].substring(fields[1].lastIndexOf(':') + 1), 16);
        int remote = Integer.parseInt(fields[2].substring(fields[2].lastIndexOf(':') + 1), 16);
        if (local == serverPort && peers.contains(remote)) {
          most = Math.max(most, Long.parseLong(fields[4].substring(0, fields[4].indexOf(':')), 16));
        }
      }
    }
    return most;
  }
}
