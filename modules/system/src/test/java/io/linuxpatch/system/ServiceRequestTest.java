package io.linuxpatch.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** SystemVerticle answers endpoint 17: validation, systemd, OpenRC and no service manager. */
@ExtendWith(VertxExtension.class)
class ServiceRequestTest {

  private TestHost host;

  @BeforeEach
  void setUp(@TempDir Path dir) throws Exception {
    host = new TestHost(dir);
  }

  private static Future<JsonObject> ask(Vertx vertx, Object body) {
    return vertx.eventBus().<JsonObject>request(Addresses.SYSTEM_SERVICE, body).map(m -> m.body());
  }

  @Test
  @DisplayName("Invalid or missing service names fail with 400 INVALID_REQUEST before any program runs")
  void invalidNames(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path marker = host.dir.resolve("systemctl-ran");
    host.installSystemd("touch " + marker + "\n");
    List<Object> bodies = new ArrayList<>();
    for (String name : List.of("-H", "--root=/", "", "a b", "../../etc/passwd", "x;reboot", "a".repeat(257))) {
      bodies.add(new JsonObject().put("name", name));
    }
    bodies.add(new JsonObject());
    bodies.add(new JsonObject().put("name", 42));
    bodies.add(null);

    host.deploy(vertx)
        .compose(id -> Future.all(bodies.stream()
            .map(body -> ask(vertx, body).map(ok -> (Object) ok).recover(Future::succeededFuture))
            .toList()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < bodies.size(); i++) {
            assertThat((Object) all.resultAt(i)).as("answer to %s", bodies.get(i)).isInstanceOfSatisfying(ReplyException.class,
                e -> {
                  assertThat(e.failureCode()).isEqualTo(400);
                  assertThat(e.getMessage()).startsWith("INVALID_REQUEST:");
                });
          }
          assertThat(marker).doesNotExist();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("With neither systemd nor OpenRC the answer is 503 BACKEND_UNAVAILABLE naming both")
  void noServiceManager(Vertx vertx, VertxTestContext ctx) {
    host.deploy(vertx)
        .compose(id -> ask(vertx, new JsonObject().put("name", "ssh")))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(((ReplyException) e).failureCode()).isEqualTo(503);
          assertThat(e.getMessage())
              .isEqualTo("BACKEND_UNAVAILABLE: no service manager (systemd or OpenRC) is running on this host");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("Under systemd, systemctl show runs with the name after '--' and its answer becomes the reply")
  void systemd(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path args = host.dir.resolve("args");
    host.installSystemd("printf '%s\\n' \"$@\" > " + args + "\ncat <<'EOF'\n" + SystemctlShowTest.SSH_RUNNING + "EOF\n");

    host.deploy(vertx)
        .compose(id -> ask(vertx, new JsonObject().put("name", "ssh")))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply).isEqualTo(new JsonObject().put("name", "ssh.service")
              .put("description", "OpenBSD Secure Shell server").put("load_state", "loaded")
              .put("active_state", "active").put("sub_state", "running").put("enabled", "enabled")
              .put("main_pid", 612L));
          assertThat(Files.readAllLines(args)).containsExactly("show", "--no-pager",
              "--property=Id,Description,LoadState,ActiveState,SubState,UnitFileState,MainPID", "--", "ssh");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("Under systemd, LoadState=not-found is 404 SERVICE_NOT_FOUND")
  void systemdNotFound(Vertx vertx, VertxTestContext ctx) throws Exception {
    host.installSystemd("cat <<'EOF'\n" + SystemctlShowTest.NOT_FOUND + "EOF\n");

    host.deploy(vertx)
        .compose(id -> ask(vertx, new JsonObject().put("name", "nosuch")))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(((ReplyException) e).failureCode()).isEqualTo(404);
          assertThat(e.getMessage()).startsWith("SERVICE_NOT_FOUND:");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("A failing systemctl is 503 BACKEND_UNAVAILABLE carrying its last error line")
  void systemctlFails(Vertx vertx, VertxTestContext ctx) throws Exception {
    host.installSystemd("echo 'Failed to connect to bus: Host is down' >&2\nexit 1\n");

    host.deploy(vertx)
        .compose(id -> ask(vertx, new JsonObject().put("name", "ssh")))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(((ReplyException) e).failureCode()).isEqualTo(503);
          assertThat(e.getMessage()).startsWith("BACKEND_UNAVAILABLE:").contains("Host is down");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("On OpenRC, rc-service NAME status is run and 'started' is reported as active")
  void openRc(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path args = host.dir.resolve("args");
    host.installOpenRc("printf '%s\\n' \"$@\" > " + args + "\necho ' * status: started'\n");

    host.deploy(vertx)
        .compose(id -> ask(vertx, new JsonObject().put("name", "sshd")))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.getString("name")).isEqualTo("sshd");
          assertThat(reply.getString("active_state")).isEqualTo("active");
          assertThat(reply.getString("sub_state")).isEqualTo("started");
          assertThat(reply.getValue("main_pid")).isNull();
          assertThat(Files.readAllLines(args)).containsExactly("sshd", "status");
          ctx.completeNow();
        })));
  }
}
