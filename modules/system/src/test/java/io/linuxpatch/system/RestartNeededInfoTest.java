package io.linuxpatch.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Restart awareness end to end: system info's {@code restart_needed} lists a real process running a deleted binary. */
@ExtendWith(VertxExtension.class)
class RestartNeededInfoTest {

  @Test
  @DisplayName("System info lists a running process whose binary was deleted under restart_needed.processes")
  void listsDeletedBinary(Vertx vertx, @TempDir Path dir) throws Exception {
    TestHost host = new TestHost(dir.resolve("host"));
    Path binary = dir.resolve("opt/bin/sleep");
    DeletedFileUsers scanner = new DeletedFileUsers(Path.of("/proc"), List.of(dir.resolve("opt").toString()),
        List.of(), System::nanoTime);
    try (SleepingCopy sleeping = SleepingCopy.start(binary).deleteBinary()) {
      host.deploy(vertx, scanner).await(30, TimeUnit.SECONDS);

      JsonObject restart = vertx.eventBus().<JsonObject>request(Addresses.SYSTEM_INFO, null)
          .await(10, TimeUnit.SECONDS).body().getJsonObject("restart_needed");

      JsonObject process = restart.getJsonArray("processes").stream().map(JsonObject.class::cast)
          .filter(p -> p.getLong("pid") == sleeping.pid()).findFirst()
          .orElseThrow(() -> new AssertionError("pid " + sleeping.pid() + " missing from " + restart.encode()));
      assertThat(process.getString("command")).isEqualTo("sleep");
      assertThat(process.getString("executable")).isEqualTo(binary.toString());
      assertThat(process.getJsonArray("deleted_files")).containsExactly(binary.toString());
      assertThat(process.containsKey("service")).isTrue();
      assertThat(restart.getJsonArray("services")).isNotNull();
    }
  }
}
