package io.linuxpatch.tests;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The TCP sockets a process listens on, read the way {@code ss -ltnp} does it: LISTEN entries of
 * /proc/net/tcp and tcp6 whose inodes appear among the process's file descriptors.
 */
final class ListeningSockets {

  /**
   * One listening socket: the local address in /proc's hex form ("0100007F" is 127.0.0.1, in tcp6 as the
   * IPv4-mapped "0000000000000000FFFF00000100007F") and the port.
   */
  record Socket(String hexAddress, int port) {
    boolean loopbackV4() {
      return "0100007F".equals(hexAddress) || "0000000000000000FFFF00000100007F".equals(hexAddress);
    }
  }

  private ListeningSockets() {}

  static Set<Socket> of(long pid) throws IOException {
    Map<String, Socket> listening = new HashMap<>();
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      Path path = Path.of(table);
      if (!Files.exists(path)) {
        continue;
      }
      for (String line : Files.readAllLines(path)) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10 || !"0A".equals(f[3])) {
          continue;
        }
        String[] local = f[1].split(":");
        listening.put(f[9], new Socket(local[0], Integer.parseInt(local[1], 16)));
      }
    }
    Set<Socket> mine = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
          continue;
        }
        if (target.startsWith("socket:[")) {
          Socket socket = listening.get(target.substring(8, target.length() - 1));
          if (socket != null) {
            mine.add(socket);
          }
        }
      }
    }
    return mine;
  }

  /** Resident set size in KiB from /proc/PID/status. */
  static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid);
  }

  /** Names of the process's threads (Hazelcast's all start with "hz."). */
  static Set<String> threadNames(long pid) throws IOException {
    Set<String> names = new HashSet<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks) {
        try {
          names.add(Files.readString(task.resolve("comm")).trim());
        } catch (IOException ended) {
          // the thread ended meanwhile
        }
      }
    }
    return names;
  }
}
