package io.linuxpatch.agent;

import io.linuxpatch.contract.config.AgentConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * OPS-5: one agent per data directory and audit log. Exclusive locks on {@code data_dir/agent.lock} and on
 * {@code <audit_path>.lock} are taken before anything of either is read or written, and held until the agent
 * has stopped; a second agent (by hand, or a service restart racing a stray process) finds them held and gives
 * up without touching anything. The locks are the kernel's record locks (fcntl), so they vanish with the
 * process however it ends; the files stay and name the last holder's pid.
 */
public final class AgentLock implements AutoCloseable {

  /** The data directory's lock file. */
  public static final String DATA_LOCK = "agent.lock";

  /** Another agent holds a lock: {@link #getMessage()} is the one line to print. */
  public static final class Held extends IOException {
    private final long holderPid;

    Held(String line, long holderPid) {
      super(line);
      this.holderPid = holderPid;
    }

    /** The pid the holder wrote into the lock file, or -1 when unknown. */
    public long holderPid() {
      return holderPid;
    }
  }

  private final List<FileLock> locks;

  private AgentLock(List<FileLock> locks) {
    this.locks = locks;
  }

  /** Locks the data directory and the audit log of {@code config}. */
  public static AgentLock acquire(AgentConfig config) throws IOException {
    return acquire(Path.of(config.dataDir()), Path.of(config.logging().auditPath()));
  }

  /**
   * Locks {@code dataDir} (created when missing) and the audit log {@code auditPath} (its directory created 0700
   * when missing, as the audit writer would).
   *
   * @throws Held when another agent holds either
   */
  public static AgentLock acquire(Path dataDir, Path auditPath) throws IOException {
    Path data = dataDir.toAbsolutePath();
    Path audit = auditPath.toAbsolutePath();
    if (!Files.isDirectory(data)) {
      Files.createDirectories(data);
    }
    if (!Files.isDirectory(audit.getParent())) {
      Files.createDirectories(audit.getParent(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    List<FileLock> taken = new ArrayList<>();
    try {
      taken.add(lock(data.resolve(DATA_LOCK), "data directory " + data));
      taken.add(lock(audit.resolveSibling(audit.getFileName() + ".lock"), "audit log " + audit));
    } catch (IOException | RuntimeException e) {
      release(taken);
      throw e;
    }
    long pid = ProcessHandle.current().pid();
    for (FileLock lock : taken) {
      // Who holds it, for the second agent's message; written only once the lock is ours.
      FileChannel channel = lock.channel();
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    }
    return new AgentLock(taken);
  }

  private static FileLock lock(Path file, String what) throws IOException {
    FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    FileLock lock;
    String holder;
    long pid = -1;
    try {
      lock = channel.tryLock();
      if (lock == null) {
        String written = holderOf(channel);
        holder = "pid " + written;
        pid = written.equals("unknown") ? -1 : Long.parseLong(written);
      } else {
        holder = null;
      }
    } catch (OverlappingFileLockException sameProcess) {
      // This JVM holds it already (an agent started twice in one process). Reading the file here would
      // release this process's lock on it (fcntl semantics), so it is not read.
      lock = null;
      pid = ProcessHandle.current().pid();
      holder = "pid " + pid + ", this process";
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new Held("linux-patch-api: another agent (" + holder + ") is running on the " + what + " (lock " + file
          + "); only one agent may use a data directory and audit log (OPS-5), so this one exits and has changed "
          + "nothing", pid);
    }
    return lock;
  }

  /** The pid the holder wrote, read through the channel that just failed to lock (not a second descriptor). */
  private static String holderOf(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(32);
      channel.read(buffer, 0);
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
      return text.matches("\\d{1,10}") ? text : "unknown";
    } catch (IOException unreadable) {
      return "unknown";
    }
  }

  private static void release(List<FileLock> locks) {
    for (FileLock lock : locks) {
      try {
        lock.channel().close();
      } catch (IOException ignored) {
        // Closing the channel drops the lock whatever else fails.
      }
    }
  }

  /** Releases both locks (the files stay). */
  @Override
  public void close() {
    release(locks);
  }
}
