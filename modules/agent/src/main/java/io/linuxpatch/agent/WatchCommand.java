package io.linuxpatch.agent;

import io.linuxpatch.agent.dev.DevSetup;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code linux-patch-api watch [JOB_ID...]}: follows job events over the WebSocket endpoint (JOB-9) with a
 * client certificate and prints each frame as one JSON line — the developer walkthrough's way to watch a
 * job, and a reference client for the protocol. With job ids it subscribes to those and exits once each has
 * completed; without, it subscribes to every job until interrupted. A job id the agent refuses (an error frame)
 * or does not know (404) ends it with exit 1 and the agent's error on stderr, rather than a wait for events that
 * will never come.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Print job events from the agent's WebSocket (/api/v1/ws/jobs), one JSON line each. "
        + "Certificates default to the developer-mode files under --dir.")
public final class WatchCommand implements Callable<Integer> {

  @Parameters(arity = "0..*", paramLabel = "JOB_ID", description = "jobs to follow until they complete (default: all jobs)")
  List<String> jobIds = List.of();

  @Option(names = "--dir", paramLabel = "DIR", description = "developer-mode directory with certs/ (default: ${DEFAULT-VALUE})")
  Path dir = Path.of(".dev");

  @Option(names = "--url", paramLabel = "URL", description = "agent base URL (default: ${DEFAULT-VALUE})")
  URI url = URI.create("https://localhost:12443");

  @Option(names = "--cert", paramLabel = "PEM", description = "client certificate (default: DIR/certs/client.pem)")
  Path cert;

  @Option(names = "--key", paramLabel = "PEM", description = "client key (default: DIR/certs/client.key.pem)")
  Path key;

  @Option(names = "--ca", paramLabel = "PEM", description = "CA certificate (default: DIR/certs/ca.pem)")
  Path ca;

  /** The exit code: 0 unless the connection failed or the agent refused or did not know a job id. */
  private final AtomicInteger exit = new AtomicInteger(0);

  @Override
  public Integer call() throws Exception {
    // Job ids are UUIDs, which the agent writes in lower case.
    jobIds = jobIds.stream().map(id -> id.toLowerCase(Locale.ROOT)).toList();
    DevSetup.Layout layout = DevSetup.Layout.of(dir);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Vertx vertx = Vertx.vertx();
    PemKeyCertOptions identity = new PemKeyCertOptions()
        .setCertPath(String.valueOf(cert != null ? cert : layout.clientCert()))
        .setKeyPath(String.valueOf(key != null ? key : layout.clientKey()));
    PemTrustOptions trust = new PemTrustOptions().addCertPath(String.valueOf(ca != null ? ca : layout.caCert()));
    CountDownLatch done = new CountDownLatch(1);
    try {
      WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setSsl(true)
          .setKeyCertOptions(identity).setTrustOptions(trust));
      HttpClient http = vertx.createHttpClient(new HttpClientOptions().setSsl(true)
          .setKeyCertOptions(identity).setTrustOptions(trust));
      WebSocketConnectOptions connect = new WebSocketConnectOptions()
          .setHost(url.getHost()).setPort(url.getPort() < 0 ? 443 : url.getPort()).setSsl(true)
          .setURI("/api/v1/ws/jobs");
      Set<String> open = new HashSet<>(jobIds);
      client.connect(connect).onSuccess(ws -> follow(ws, http, open, out, done)).onFailure(e -> {
        System.err.println("cannot connect to " + url + ": " + e.getMessage());
        exit.set(1);
        done.countDown();
      });
      done.await();
      // Referred to until the end on purpose: Vert.x closes the connections of a client once it is
      // garbage-collected, and nothing else refers to these two while the socket is followed.
      client.close();
      http.close();
      return exit.get();
    } finally {
      vertx.close();
    }
  }

  private void follow(WebSocket ws, HttpClient http, Set<String> open, PrintStream out, CountDownLatch done) {
    // Everything runs on the socket's event loop, so "open" needs no lock.
    ws.textMessageHandler(text -> {
      out.println(text);
      JsonObject frame = new JsonObject(text);
      if ("error".equals(frame.getString("type"))) {
        refused(ws, "the agent refused a subscription: " + frame.getString("code") + ": "
            + frame.getString("message"));
        return;
      }
      completed(ws, open, frame);
    });
    ws.closeHandler(v -> done.countDown());
    if (jobIds.isEmpty()) {
      ws.writeTextMessage(new JsonObject().put("type", "subscribe_all").encode());
      return;
    }
    for (String id : jobIds) {
      ws.writeTextMessage(new JsonObject().put("type", "subscribe").put("job_id", id).encode());
      // A job that ended before the subscription sends no more events: read its state once.
      http.request(HttpMethod.GET, url.getPort() < 0 ? 443 : url.getPort(), url.getHost(), "/api/v1/jobs/" + id)
          .compose(request -> request.send().compose(response -> response.body()))
          .onSuccess(body -> {
            JsonObject envelope = new JsonObject(body);
            JsonObject error = envelope.getJsonObject("error");
            if (error != null) {
              refused(ws, "job " + id + ": " + error.getString("code") + ": " + error.getString("message"));
              return;
            }
            JsonObject job = envelope.getJsonObject("data");
            if (job != null && !"pending".equals(job.getString("status")) && !"running".equals(job.getString("status"))
                && open.contains(id)) {
              JsonObject event = new JsonObject().put("type", "job_complete").put("job", job);
              out.println(event.encode());
              completed(ws, open, event);
            }
          });
    }
  }

  /** Ends the watch with exit 1 and {@code why} on stderr: what was asked for will send no events. */
  private void refused(WebSocket ws, String why) {
    System.err.println("linux-patch-api watch: " + why);
    exit.set(1);
    ws.close();
  }

  private void completed(WebSocket ws, Set<String> open, JsonObject event) {
    JsonObject job = event.getJsonObject("job");
    if ("job_complete".equals(event.getString("type")) && job != null && open.remove(job.getString("job_id"))
        && open.isEmpty() && !jobIds.isEmpty()) {
      ws.close();
    }
  }
}
