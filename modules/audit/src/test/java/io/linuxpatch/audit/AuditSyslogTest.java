package io.linuxpatch.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.linuxpatch.contract.Addresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** AUD-3: with {@code logging.syslog} set, each audit record line also reaches a syslog receiver over UDP. */
@Tag("AUD-3")
@ExtendWith(VertxExtension.class)
class AuditSyslogTest {

  @TempDir
  Path dir;
  private final ch.qos.logback.classic.Logger ours =
      (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.linuxpatch");
  private final Level before = ours.getLevel();

  @AfterEach
  void restoreLevel() {
    ours.setLevel(before);
  }

  private static String receive(DatagramSocket socket) throws Exception {
    DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
    socket.receive(packet);
    return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("each record line goes to the configured UDP syslog receiver, with the facility's priority, even at logging.level warn")
  void recordsReachSyslog(Vertx vertx) throws Exception {
    // What the agent's LogLevels does for logging.level: warn; the audit copy must not depend on it.
    ours.setLevel(Level.WARN);
    try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      receiver.setSoTimeout(5_000);
      JsonObject config = new JsonObject().put("data_dir", dir.resolve("data").toString()).put("logging", new JsonObject()
          .put("audit_path", dir.resolve("audit.jsonl").toString())
          .put("syslog", new JsonObject().put("host", "127.0.0.1").put("port", receiver.getLocalPort())
              .put("facility", "LOCAL4")));
      vertx.deployVerticle(new AuditVerticle(), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
          .setConfig(config)).await(10, TimeUnit.SECONDS);

      vertx.eventBus().request(Addresses.AUDIT_RECORD, new JsonObject().put("event", "request")
          .put("request_id", "syslog-1").put("path", "/api/v1/packages").put("durable", true))
          .await(10, TimeUnit.SECONDS);
      vertx.eventBus().request(Addresses.AUDIT_RECORD, new JsonObject().put("event", "request")
          .put("request_id", "syslog-2").put("durable", true)).await(10, TimeUnit.SECONDS);

      List<String> lines = Files.readAllLines(dir.resolve("audit.jsonl"));
      for (int i = 0; i < 2; i++) {
        String datagram = receive(receiver);
        // LOCAL4 (20) * 8 + INFO (6) = 166; then the RFC 3164 header, the tag and the record line as written.
        assertThat(datagram).startsWith("<166>");
        assertThat(datagram).endsWith("linux-patch-api: " + lines.get(i));
        assertThat(new JsonObject(lines.get(i)).getString("request_id")).isEqualTo("syslog-" + (i + 1));
      }
    }
  }
}
