package io.linuxpatch.process;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One child and the threads that look after it: two output pumps, an optional stdin writer, and a
 * supervisor that waits for exit, timeout or cancel, terminates the group when needed, reaps the child and
 * completes the result.
 */
final class SupervisedProcess implements RunningProcess {

  /** How long to wait for the output readers to finish after the child itself has ended. */
  static final Duration DRAIN_WAIT = Duration.ofSeconds(2);
  /** How long to wait for the group to vanish after SIGKILL before reporting stuck processes. */
  static final Duration KILL_WAIT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(SupervisedProcess.class);

  private final Process process;
  private final ProcessSpec spec;
  private final ProcessGroup group;
  private final String label;
  private final long startNanos = System.nanoTime();
  private final TailBuffer stdout;
  private final TailBuffer stderr;
  private final CountDownLatch wake = new CountDownLatch(1);
  private final AtomicBoolean cancelRequested = new AtomicBoolean();
  private final CompletableFuture<ProcessResult> result = new CompletableFuture<>();

  private SupervisedProcess(Process process, ProcessSpec spec, ProcessGroup group) {
    this.process = process;
    this.spec = spec;
    this.group = group;
    this.label = spec.argv().get(0) + " (pid " + process.pid() + ")";
    this.stdout = new TailBuffer(spec.stdoutLimitBytes());
    this.stderr = new TailBuffer(spec.stderrLimitBytes());
  }

  static SupervisedProcess supervise(Process process, ProcessSpec spec, ProcessGroup group) {
    SupervisedProcess supervised = new SupervisedProcess(process, spec, group);
    supervised.begin();
    return supervised;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public void cancel() {
    if (!result.isDone() && cancelRequested.compareAndSet(false, true)) {
      wake.countDown();
    }
  }

  @Override
  public CompletableFuture<ProcessResult> result() {
    return result;
  }

  @Override
  public ProcessResult await() {
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      // The caller gave up waiting; the child keeps its timeout, but nobody would read the result: stop it.
      cancel();
      throw new IllegalStateException("interrupted while waiting for " + label + "; cancelled it", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("supervision of " + label + " failed", e.getCause());
    }
  }

  private void begin() {
    LOG.debug("started {}: {}", label, spec);
    Thread out = daemon("stdout", new OutputPump(process.getInputStream(), OutputChannel.STDOUT, stdout,
        spec.listener(), label));
    Thread err = daemon("stderr", new OutputPump(process.getErrorStream(), OutputChannel.STDERR, stderr,
        spec.listener(), label));
    out.start();
    err.start();
    feedStdin();
    process.onExit().thenRun(wake::countDown);
    daemon("supervisor", () -> {
      try {
        result.complete(superviseUntilEnd(List.of(out, err)));
      } catch (Throwable t) {
        LOG.error("supervision of {} failed; the child may still be running, check `ps -g {}`",
            label, group.pgid(), t);
        result.completeExceptionally(t);
      }
    }).start();
  }

  private void feedStdin() {
    byte[] input = spec.stdin();
    OutputStream in = process.getOutputStream();
    if (input.length == 0) {
      closeQuietly(in);
      return;
    }
    // A separate thread: a child that does not read its stdin must not block anyone but this writer.
    daemon("stdin", () -> {
      try (in) {
        in.write(input);
      } catch (IOException e) {
        LOG.debug("{} stopped reading its stdin: {}", label, e.toString());
      }
    }).start();
  }

  private ProcessResult superviseUntilEnd(List<Thread> pumps) throws InterruptedException {
    boolean woken = wake.await(spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
    ProcessOutcome outcome = ProcessOutcome.EXITED;
    boolean killed = false;
    if (process.isAlive()) {
      outcome = woken && cancelRequested.get() ? ProcessOutcome.CANCELLED : ProcessOutcome.TIMED_OUT;
      if (outcome == ProcessOutcome.TIMED_OUT) {
        LOG.warn("{} ran longer than its {} limit; terminating its process group {}",
            label, spec.timeout(), group.pgid());
      } else {
        LOG.info("{} cancelled on request; terminating its process group {}", label, group.pgid());
      }
      killed = terminateGroup();
    }
    // Reaps the child: no zombie is left behind whatever happened above.
    int exitCode = process.waitFor();
    Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
    drain(pumps);
    ProcessResult r = new ProcessResult(process.pid(), exitCode, outcome, killed, duration,
        stdout.snapshot(), stderr.snapshot());
    LOG.debug("{} ended: exit {}, {}, {} ms", label, exitCode, outcome, duration.toMillis());
    return r;
  }

  /** SIGTERM to the group, SIGKILL after the grace period if anyone is left; true when SIGKILL was needed. */
  private boolean terminateGroup() throws InterruptedException {
    group.signal(ProcessGroup.Signal.TERM);
    // Right after start setsid may not have run yet, so the group may not exist: signal the child itself too.
    process.destroy();
    if (waitUntilGone(spec.killGrace())) {
      return false;
    }
    List<Long> left = group.livingMembers();
    LOG.warn("process group {} of {} ignored SIGTERM for {} (pids {}); sending SIGKILL",
        group.pgid(), label, spec.killGrace(), left);
    group.signal(ProcessGroup.Signal.KILL);
    process.destroyForcibly();
    if (!waitUntilGone(KILL_WAIT)) {
      LOG.error("process group {} still has processes {} after SIGKILL; they are probably stuck in the kernel "
          + "(state D): check `ps -o pid,stat,wchan,cmd -g {}`", group.pgid(), group.livingMembers(), group.pgid());
    }
    return true;
  }

  private boolean waitUntilGone(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      if (!process.isAlive() && group.isEmpty()) {
        return true;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
    }
  }

  private void drain(List<Thread> pumps) throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_WAIT.toNanos();
    for (Thread pump : pumps) {
      pump.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
    if (pumps.stream().anyMatch(Thread::isAlive)) {
      // The JDK closes our ends of the pipes once the child is reaped, so a process the child left behind
      // (a daemon that kept the pipe) cannot block us; should a pump still hang, answer with what we have.
      LOG.warn("{} has ended but its output readers are still busy after {} (processes left in group {}: {}); "
          + "returning what was captured", label, DRAIN_WAIT, group.pgid(), group.livingMembers());
    }
  }

  private Thread daemon(String role, Runnable body) {
    Thread t = new Thread(body, "lpa-process-" + process.pid() + "-" + role);
    t.setDaemon(true);
    return t;
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException ignored) {
      // Closing our end of a pipe the child already closed: nothing to do.
    }
  }
}
