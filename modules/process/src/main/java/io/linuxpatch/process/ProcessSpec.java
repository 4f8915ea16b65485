package io.linuxpatch.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to run and under which limits. Built with {@link #of} and the {@code with*} methods; every instance
 * is validated, so a runner never sees a relative program or an environment that overrides the fixed one.
 *
 * @param argv             program (absolute path) and its arguments, passed as-is: no shell, no globbing
 * @param extraEnv         variables added to the fixed environment (e.g. APT_CONFIG, TMPDIR)
 * @param workingDirectory the child's working directory ({@code /} by default, never the agent's)
 * @param stdin            bytes written to the child's stdin before it is closed; empty = closed at once
 * @param timeout          after this the whole process group is terminated
 * @param killGrace        time between SIGTERM and SIGKILL to the group
 * @param stdoutLimitBytes how many trailing bytes of stdout are kept
 * @param stderrLimitBytes how many trailing bytes of stderr are kept
 * @param listener         optional per-line listener, called from reader threads
 */
public record ProcessSpec(
    List<String> argv,
    Map<String, String> extraEnv,
    Path workingDirectory,
    byte[] stdin,
    Duration timeout,
    Duration killGrace,
    int stdoutLimitBytes,
    int stderrLimitBytes,
    OutputListener listener) {

  /** JOB-5's default job timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
  /** JOB-5: SIGKILL 10 s after SIGTERM. */
  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(10);
  /** Enough for the 500 log lines a job keeps (JOB-2) with room to spare. */
  public static final int DEFAULT_OUTPUT_LIMIT = 256 * 1024;

  /**
   * The variables every child gets and no caller may replace: a fixed PATH so no inherited PATH can redirect
   * a program, the C locale so parsers see untranslated text, and no debconf prompts (SEC-9).
   */
  public static final Map<String, String> FIXED_ENV = Map.of(
      "PATH", "/usr/sbin:/usr/bin:/sbin:/bin",
      "LC_ALL", "C",
      "LANG", "C",
      "DEBIAN_FRONTEND", "noninteractive");

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public ProcessSpec {
    Objects.requireNonNull(argv, "argv");
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv must name a program");
    }
    for (String arg : argv) {
      if (arg == null || arg.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("argv elements must be non-null and free of NUL bytes: " + argv);
      }
    }
    if (!argv.get(0).startsWith("/")) {
      // A bare name would be looked up through PATH; only an absolute path says exactly what runs as root.
      throw new IllegalArgumentException("the program must be an absolute path, got \"" + argv.get(0) + "\"");
    }
    argv = List.copyOf(argv);
    extraEnv = checkedEnv(extraEnv == null ? Map.of() : extraEnv);
    workingDirectory = workingDirectory == null ? Path.of("/") : workingDirectory;
    if (!workingDirectory.isAbsolute()) {
      throw new IllegalArgumentException("the working directory must be absolute, got \"" + workingDirectory + "\"");
    }
    stdin = stdin == null ? new byte[0] : stdin.clone();
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(killGrace, "killGrace");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (killGrace.isNegative()) {
      throw new IllegalArgumentException("killGrace must not be negative, got " + killGrace);
    }
    if (stdoutLimitBytes < 0 || stderrLimitBytes < 0) {
      throw new IllegalArgumentException("output limits must not be negative");
    }
  }

  /** A spec with the defaults: 30 min timeout, 10 s grace, 256 KiB per pipe, no extra env, no stdin. */
  public static ProcessSpec of(List<String> argv) {
    return new ProcessSpec(argv, Map.of(), null, null, DEFAULT_TIMEOUT, DEFAULT_KILL_GRACE,
        DEFAULT_OUTPUT_LIMIT, DEFAULT_OUTPUT_LIMIT, null);
  }

  public static ProcessSpec of(String... argv) {
    return of(List.of(argv));
  }

  public ProcessSpec withExtraEnv(Map<String, String> env) {
    return new ProcessSpec(argv, env, workingDirectory, stdin, timeout, killGrace, stdoutLimitBytes,
        stderrLimitBytes, listener);
  }

  public ProcessSpec withWorkingDirectory(Path dir) {
    return new ProcessSpec(argv, extraEnv, dir, stdin, timeout, killGrace, stdoutLimitBytes,
        stderrLimitBytes, listener);
  }

  public ProcessSpec withStdin(byte[] input) {
    return new ProcessSpec(argv, extraEnv, workingDirectory, input, timeout, killGrace, stdoutLimitBytes,
        stderrLimitBytes, listener);
  }

  public ProcessSpec withTimeout(Duration value) {
    return new ProcessSpec(argv, extraEnv, workingDirectory, stdin, value, killGrace, stdoutLimitBytes,
        stderrLimitBytes, listener);
  }

  public ProcessSpec withKillGrace(Duration value) {
    return new ProcessSpec(argv, extraEnv, workingDirectory, stdin, timeout, value, stdoutLimitBytes,
        stderrLimitBytes, listener);
  }

  /** The same bound for stdout and stderr. */
  public ProcessSpec withOutputLimit(int bytes) {
    return new ProcessSpec(argv, extraEnv, workingDirectory, stdin, timeout, killGrace, bytes, bytes, listener);
  }

  public ProcessSpec withOutputLimits(int stdoutBytes, int stderrBytes) {
    return new ProcessSpec(argv, extraEnv, workingDirectory, stdin, timeout, killGrace, stdoutBytes,
        stderrBytes, listener);
  }

  public ProcessSpec withListener(OutputListener value) {
    return new ProcessSpec(argv, extraEnv, workingDirectory, stdin, timeout, killGrace, stdoutLimitBytes,
        stderrLimitBytes, value);
  }

  /** The child's whole environment: the fixed variables plus {@link #extraEnv}, nothing inherited. */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>(FIXED_ENV);
    env.putAll(extraEnv);
    return env;
  }

  @Override
  public byte[] stdin() {
    return stdin.clone();
  }

  @Override
  public String toString() {
    // stdin may hold selections or answers: its size is enough for a log line.
    return "ProcessSpec[argv=" + argv + ", extraEnv=" + extraEnv.keySet() + ", timeout=" + timeout
        + ", killGrace=" + killGrace + ", stdin=" + stdin.length + " bytes]";
  }

  private static Map<String, String> checkedEnv(Map<String, String> env) {
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (name == null || !ENV_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("invalid environment variable name \"" + name + "\"");
      }
      if (FIXED_ENV.containsKey(name)) {
        throw new IllegalArgumentException(name + " is fixed for every child process and cannot be overridden");
      }
      if (e.getValue() == null || e.getValue().indexOf('\0') >= 0) {
        throw new IllegalArgumentException("environment variable " + name + " needs a value without NUL bytes");
      }
    }
    return Map.copyOf(env);
  }
}
