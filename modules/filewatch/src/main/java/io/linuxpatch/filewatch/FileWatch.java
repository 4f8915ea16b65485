package io.linuxpatch.filewatch;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a Vert.x context when files it reads may have changed, through the JDK's WatchService (the kernel's
 * inotify on Linux): nothing runs while nothing changes, where polling the agent's configuration, allow-list and
 * certificate files woke the agent several times a second for the life of the host (issue 16).
 *
 * <p>A file is watched through its directory, so that an editor's or a configuration manager's write-and-rename
 * is seen as well as a write in place; a symbolic link is also followed to its target's directory, resolved
 * again after every change (certificates are often links into a renewal tool's directory). Where a directory
 * does not exist yet, its nearest existing ancestor is watched for the missing child, down to the file as the
 * directories appear: no polling in any case. One watch serves every owner on a Vert.x instance
 * ({@link #acquire}), so the agent has one inotify instance and one thread for it, whatever it watches.
 */
public final class FileWatch {

  private static final Logger LOG = LoggerFactory.getLogger(FileWatch.class);
  private static final Map<Vertx, FileWatch> SHARED = new IdentityHashMap<>();

  /** Without inotify (the host's fs.inotify.max_user_instances used up), how often each owner's files are stat'ed. */
  static final long POLL_MS = 1_000;

  private final Vertx vertx;
  /** The kernel's watch, or null when none could be had: then each registration polls. */
  private final WatchService service;
  /** Waits for the kernel's events; ends when the last owner releases the watch (null when polling). */
  final Thread thread;
  private final Map<Path, WatchKey> keys = new HashMap<>();
  private final List<Registration> registrations = new ArrayList<>();
  private int owners;

  FileWatch(Vertx vertx, boolean kernel) {
    this.vertx = vertx;
    this.service = kernel ? kernelWatch() : null;
    if (service == null) {
      thread = null;
      return;
    }
    thread = new Thread(this::run, "lpa-file-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private static WatchService kernelWatch() {
    try {
      return FileSystems.getDefault().newWatchService();
    } catch (IOException | RuntimeException e) {
      // A reload must not stop working because another program holds all of the host's inotify instances.
      LOG.warn("no inotify watch ({}): the configuration, allow-list and certificate files are checked every {} ms "
          + "instead; raise fs.inotify.max_user_instances to let the kernel tell", e.getMessage(), POLL_MS);
      return null;
    }
  }

  /** The watch of {@code vertx}, opened by its first owner; give it back with {@link #release()}. */
  public static FileWatch acquire(Vertx vertx) {
    synchronized (SHARED) {
      FileWatch watch = SHARED.get(vertx);
      if (watch == null) {
        watch = new FileWatch(vertx, true);
        SHARED.put(vertx, watch);
      }
      watch.owners++;
      return watch;
    }
  }

  /** Gives the watch back; the last owner's release closes it (its thread ends). */
  public void release() {
    synchronized (SHARED) {
      if (--owners > 0) {
        return;
      }
      SHARED.remove(vertx);
    }
    if (service == null) {
      return;
    }
    try {
      service.close();
    } catch (IOException e) {
      LOG.debug("closing the file watch: {}", e.toString());
    }
  }

  /**
   * Watches {@code files}: after a change to any of them, {@code reread} runs on the caller's context (call this
   * on a verticle's context). A change that comes while the future of the previous {@code reread} is pending
   * makes it run once more when that one completes, never twice at once, so a burst of writes costs one or two
   * reads and the last read sees the last write.
   */
  public Registration watch(Collection<Path> files, Supplier<Future<?>> reread) {
    Registration registration = new Registration(Vertx.currentContext(), files, reread);
    synchronized (this) {
      registrations.add(registration);
    }
    registration.register();
    if (service == null) {
      registration.poll();
    }
    return registration;
  }

  private void run() {
    try {
      while (true) {
        WatchKey key = service.take();
        Path dir = (Path) key.watchable();
        Set<Path> changed = new LinkedHashSet<>();
        boolean overflow = false;
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
            overflow = true;
          } else {
            changed.add(dir.resolve((Path) event.context()));
          }
        }
        boolean valid = key.reset();
        List<Registration> affected = new ArrayList<>();
        synchronized (this) {
          if (!valid) {
            keys.remove(dir);
          }
          for (Registration r : registrations) {
            if (overflow || !valid || r.concerns(changed)) {
              affected.add(r);
            }
          }
        }
        affected.forEach(Registration::changed);
      }
    } catch (ClosedWatchServiceException | InterruptedException closed) {
      // released by its last owner
    }
  }

  /** Registers {@code dir} once for every owner; false when it does not exist (or cannot be watched). */
  private synchronized boolean watchDirectory(Path dir) {
    if (service == null) {
      return Files.isDirectory(dir);
    }
    WatchKey key = keys.get(dir);
    if (key != null && key.isValid()) {
      return true;
    }
    try {
      keys.put(dir, dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE));
      return true;
    } catch (ClosedWatchServiceException closed) {
      return true;
    } catch (IOException | RuntimeException absent) {
      return false;
    }
  }

  /** One owner's files and what to run when they change. */
  public final class Registration {

    private final Context context;
    private final List<Path> files;
    private final Supplier<Future<?>> reread;
    /** The files, their link targets and the directories of both, as of the latest change. */
    private volatile Set<Path> watched = Set.of();
    private boolean running;
    private boolean again;
    private boolean cancelled;
    /** Without the kernel's watch: the stat of every watched path at the last poll, and the poll's timer. */
    private String polled;
    private long pollTimer = -1;

    private Registration(Context context, Collection<Path> files, Supplier<Future<?>> reread) {
      this.context = context;
      this.files = files.stream().map(p -> p.toAbsolutePath().normalize()).toList();
      this.reread = reread;
    }

    /** Stops calling back (the owner watches other files now, or stops). */
    public void cancel() {
      context.runOnContext(v -> {
        cancelled = true;
        vertx.cancelTimer(pollTimer);
      });
      synchronized (FileWatch.this) {
        registrations.remove(this);
      }
    }

    private boolean concerns(Set<Path> changed) {
      Set<Path> now = watched;
      for (Path path : changed) {
        if (now.contains(path)) {
          return true;
        }
      }
      return false;
    }

    /** (Re)registers the directories of the files and of their link targets, as they are now. */
    private void register() {
      Set<Path> paths = new LinkedHashSet<>();
      for (Path file : files) {
        watchThrough(file, paths);
        if (Files.isSymbolicLink(file)) {
          try {
            watchThrough(file.toRealPath(), paths);
          } catch (IOException dangling) {
            // a link to nothing: its own directory tells when it is replaced
          }
        }
      }
      watched = Set.copyOf(paths);
    }

    /**
     * Watches the directory of {@code path} or, where that is missing, its nearest existing ancestor for the
     * missing child on the way down; adds what concerns this registration to {@code paths}.
     */
    private void watchThrough(Path path, Set<Path> paths) {
      paths.add(path);
      Path child = null;
      Path before;
      do {
        before = child;
        child = path;
        Path dir = path.getParent();
        while (dir != null && !watchDirectory(dir)) {
          child = dir;
          dir = dir.getParent();
        }
        // A missing directory created before its parent's watch was in place made no event: look again.
        // (A directory that exists but cannot be watched, unreadable say, stays the nearest: no endless loop.)
      } while (child != path && !child.equals(before) && Files.isDirectory(child));
      paths.add(child);
    }

    /** Without the kernel's watch: compares the watched paths' stat with the last poll's, every {@link #POLL_MS}. */
    private void poll() {
      polled = stat();
      pollTimer = vertx.setPeriodic(POLL_MS, t -> {
        String now = stat();
        if (!now.equals(polled)) {
          polled = now;
          changed();
        }
      });
    }

    private String stat() {
      StringBuilder stamp = new StringBuilder();
      for (Path path : watched) {
        try {
          BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
          stamp.append(path).append(' ').append(a.lastModifiedTime().toMillis()).append(' ').append(a.size())
              .append(' ').append(a.fileKey()).append('\n');
        } catch (IOException | RuntimeException absent) {
          stamp.append(path).append(" -\n");
        }
      }
      return stamp.toString();
    }

    private void changed() {
      context.runOnContext(v -> {
        if (cancelled) {
          return;
        }
        register();
        if (running) {
          again = true;
          return;
        }
        running = true;
        reread.get().onComplete(done -> {
          running = false;
          if (again) {
            again = false;
            changed();
          }
        });
      });
    }
  }
}
