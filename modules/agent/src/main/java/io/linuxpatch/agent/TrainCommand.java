package io.linuxpatch.agent;

import io.linuxpatch.agent.config.ConfigFile;
import io.linuxpatch.agent.dev.DevSetup;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * {@code linux-patch-api train}: the training run from which the launcher records the start-up archive (AppCDS on
 * Java 17 to 24, an AOT cache from Java 25): the classes a real start loads, from the same jar with the same flags.
 * It starts an agent on a throw-away configuration in a temporary directory (its own CA and certificates,
 * 127.0.0.1 on a free port, no package backend, so nothing of the host's packages is read), asks /health once over
 * mutual TLS, stops the agent and deletes the directory. Nothing outside that directory is touched.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "One training start for the start-up archive (the launcher's --build-start-archive runs it): an "
        + "agent on a throw-away configuration under a temporary directory, one /health request, a stop.")
public final class TrainCommand implements Callable<Integer> {

  private static final long HEALTH_TIMEOUT_SECONDS = 60;

  @Override
  public Integer call() throws Exception {
    // Only problems: the launcher keeps this output in a log file beside the archive.
    LogLevels.apply("error");
    Path dir = Files.createTempDirectory("linux-patch-api-train-");
    try {
      int port = freePort();
      DevSetup.Layout layout = new DevSetup(new PrintStream(OutputStream.nullOutputStream()))
          .prepare(dir.resolve("agent"), port, "127.0.0.1", DevSetup.NO_BACKEND);
      ConfigFile file = ConfigFile.read(layout.config());
      Agent agent = Agent.start(layout.config(), file.document(), file.config()).await();
      try {
        int status = health(agent, layout, port);
        if (status != 200) {
          System.err.println("linux-patch-api train: /health answered " + status + ", not 200");
          return 1;
        }
        return 0;
      } finally {
        agent.stop();
      }
    } finally {
      deleteTree(dir);
    }
  }

  /** One request the way a client makes it: its own certificate, the agent's CA, a new TLS connection. */
  private static int health(Agent agent, DevSetup.Layout layout, int port) throws Exception {
    HttpClient client = agent.vertx().createHttpClient(new HttpClientOptions().setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(layout.clientCert().toString())
            .setKeyPath(layout.clientKey().toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(layout.caCert().toString())));
    try {
      return client.request(HttpMethod.GET, port, "127.0.0.1", "/health")
          .compose(request -> request.send())
          .compose(response -> response.body().map(body -> response.statusCode()))
          .await(HEALTH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
