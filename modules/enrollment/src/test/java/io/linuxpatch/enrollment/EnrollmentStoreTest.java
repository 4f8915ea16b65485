package io.linuxpatch.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link EnrollmentStore}: a pending enrollment survives a restart, owner-only. */
class EnrollmentStoreTest {

  @TempDir
  Path dataDir;

  @Test
  @DisplayName("key and token are stored 0600 in a 0700 directory, read back whole, and removed by clear")
  void roundTrip() throws Exception {
    EnrollmentStore store = new EnrollmentStore(dataDir);
    PendingEnrollment pending = new PendingEnrollment(ManagerUrl.parse("https://fleet:8443"), "enroll",
        Instant.now().truncatedTo(ChronoUnit.MILLIS), SigningRequest.newKey().getPrivate(), null);
    store.begin(pending);
    assertThat(store.load()).get().extracting(PendingEnrollment::token).isNull();
    store.saveToken(pending.withToken(new PollingToken("tok-123")));
    PendingEnrollment loaded = store.load().orElseThrow();
    assertThat(loaded.token().value()).isEqualTo("tok-123");
    assertThat(loaded.key()).isEqualTo(pending.key());
    assertThat(loaded.manager()).isEqualTo(pending.manager());
    assertThat(loaded.requestedAt()).isEqualTo(pending.requestedAt());
    assertThat(loaded.toString()).doesNotContain("tok-123");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.directory()))).isEqualTo("rwx------");
    for (String file : new String[] {EnrollmentStore.KEY_FILE, EnrollmentStore.TOKEN_FILE}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.directory().resolve(file))))
          .isEqualTo("rw-------");
    }
    store.clear();
    assertThat(store.load()).isEmpty();
    assertThat(store.directory().resolve(EnrollmentStore.KEY_FILE)).doesNotExist();
  }

  @Test
  @DisplayName("a damaged token file is discarded, so the next enrollment registers again")
  void damaged() throws Exception {
    EnrollmentStore store = new EnrollmentStore(dataDir);
    store.begin(new PendingEnrollment(ManagerUrl.parse("https://fleet"), "renew", Instant.now(),
        SigningRequest.newKey().getPrivate(), new PollingToken("tok-9")));
    Files.writeString(store.directory().resolve(EnrollmentStore.TOKEN_FILE), "{\"polling_token\": \"tok-9\", ");
    assertThat(store.load()).isEmpty();
    assertThat(store.directory().resolve(EnrollmentStore.TOKEN_FILE)).doesNotExist();
  }
}
