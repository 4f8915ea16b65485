package io.linuxpatch.tests;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * A command run in a real terminal: a detached tmux session on a private server socket (never the user's tmux),
 * read back with {@code capture-pane} — what a person would see on the screen.
 */
final class TmuxPane implements AutoCloseable {

  private final String socket;
  private final String session = "fleet";

  private TmuxPane(String socket) {
    this.socket = socket;
  }

  /**
   * Starts {@code argv} in a 200x50 terminal; the pane prints {@code FLEET-EXIT=<code>} when it ends and stays
   * open so that its screen can be read.
   */
  static TmuxPane start(Path work, List<String> argv) throws Exception {
    Path script = work.resolve("tmux-command.sh");
    String quoted = argv.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
    Files.writeString(script, "#!/bin/sh\n" + quoted + "\necho FLEET-EXIT=$?\nexec sleep 600\n");
    TmuxPane pane = new TmuxPane(work.resolve("tmux.sock").toString());
    pane.tmux("new-session", "-d", "-s", pane.session, "-x", "200", "-y", "50", "sh " + script).succeeded();
    return pane;
  }

  /** The screen once the command has ended (within 3 minutes). */
  String awaitExit() {
    AtomicReference<String> screen = new AtomicReference<>("");
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300)).until(() -> {
      screen.set(tmux("capture-pane", "-p", "-t", session).succeeded().output());
      return screen.get().contains("FLEET-EXIT=");
    });
    return screen.get();
  }

  private ExternalCommand tmux(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("tmux", "-S", socket));
    argv.addAll(List.of(args));
    return ExternalCommand.run(argv, Duration.ofSeconds(20));
  }

  @Override
  public void close() throws Exception {
    tmux("kill-server");
  }
}
