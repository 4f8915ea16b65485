package io.linuxpatch.packages;

import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.linuxpatch.process.RunningProcess;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real process runner, counting and recording every process it starts: what the hostile-name tests hand to
 * PackageVerticle to prove that a refused request starts no child process (SEC-9).
 */
public final class CountingProcessRunner implements ProcessRunner {

  private final ProcessRunner real = ProcessRunner.create();
  /** Processes started so far. */
  public final AtomicInteger started = new AtomicInteger();
  /** Their argument vectors, in start order. */
  public final List<List<String>> argvs = new CopyOnWriteArrayList<>();

  @Override
  public RunningProcess start(ProcessSpec spec) {
    started.incrementAndGet();
    argvs.add(spec.argv());
    return real.start(spec);
  }
}
