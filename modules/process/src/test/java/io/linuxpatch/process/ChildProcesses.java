package io.linuxpatch.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What the tests look up about real processes in /proc. */
final class ChildProcesses {

  private ChildProcesses() {}

  /** A pid counts as alive unless /proc no longer has it or it is a zombie waiting for init. */
  static boolean alive(long pid) {
    Optional<ProcessGroup.ProcStat> stat = ProcessGroup.ProcStat.read(Path.of("/proc", Long.toString(pid), "stat"));
    return stat.isPresent() && !stat.get().dead();
  }

  static boolean procEntryExists(long pid) {
    return Files.exists(Path.of("/proc", Long.toString(pid)));
  }

  static String stat(long pid) throws IOException {
    return Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
  }
}
